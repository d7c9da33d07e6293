import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ShapeError } from '../errors.js';
import { itMatchesPyTorch, randomViews, tensorsLeftByGrads } from '../test-support/objective-checks.js';
import { byolLoss } from './byol-loss.js';

const fixture = loadFixture('byol');

describe('byolLoss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (target gradient stopped)', () => byolLoss());

  it('is 0 for identical directions (any scale), 2 for orthogonal and 4 for opposite', () =>
    tf.tidy(() => {
      const obj = byolLoss();
      const raw = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
      const x = tf.div(raw, tf.norm(raw, 'euclidean', 1, true)) as tf.Tensor2D;
      expect(obj.compute({ prediction: x, target: x }).dataSync()[0]).toBeCloseTo(0, 5);
      expect(obj.compute({ prediction: tf.mul(x, 3) as tf.Tensor2D, target: x }).dataSync()[0]).toBeCloseTo(0, 5);
      expect(obj.compute({ prediction: tf.neg(x) as tf.Tensor2D, target: x }).dataSync()[0]).toBeCloseTo(4, 5);
      const e = tf.eye(3) as tf.Tensor2D;
      const r = tf.tensor2d([
        [0, 1, 0],
        [0, 0, 1],
        [1, 0, 0],
      ]);
      expect(obj.compute({ prediction: e, target: r }).dataSync()[0]).toBeCloseTo(2, 6);
    }));

  it('rejects mismatched shapes', () =>
    tf.tidy(() => {
      expect(() =>
        byolLoss().compute({ prediction: tf.zeros([2, 3]) as tf.Tensor2D, target: tf.zeros([2, 4]) as tf.Tensor2D }),
      ).toThrow(ShapeError);
    }));

  it('keeps the tensor count flat across repeated compute + grad', () => {
    const [p, t] = randomViews(8, 4);
    const obj = byolLoss();
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      obj.compute({ prediction: a as tf.Tensor2D, target: b as tf.Tensor2D });
    expect(tensorsLeftByGrads(loss, [p, t])).toBe(0);
    tf.dispose([p, t]);
  });
});
