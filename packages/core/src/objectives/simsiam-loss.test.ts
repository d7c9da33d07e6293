import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ShapeError } from '../errors.js';
import { itMatchesPyTorch, randomViews, tensorsLeftByGrads } from '../test-support/objective-checks.js';
import { simsiamLoss } from './simsiam-loss.js';

const fixture = loadFixture('simsiam');

describe('simsiamLoss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (z gradients stopped)', () => simsiamLoss());

  it('reaches its minimum -1 when each prediction points along the other view', () =>
    tf.tidy(() => {
      const [z1, z2] = randomViews(6, 5);
      const obj = simsiamLoss();
      const best = obj.compute({ p1: tf.mul(z2, 2) as tf.Tensor2D, p2: z1, z1, z2 }).dataSync()[0];
      const swapped = obj.compute({ p1: z1, p2: z2, z1, z2 }).dataSync()[0];
      expect(best).toBeCloseTo(-1, 5);
      expect(swapped).toBeGreaterThan(best + 0.1);
    }));

  it('rejects mismatched shapes', () =>
    tf.tidy(() => {
      const a = tf.zeros([2, 3]) as tf.Tensor2D;
      expect(() => simsiamLoss().compute({ p1: a, p2: a, z1: a, z2: tf.zeros([3, 3]) as tf.Tensor2D })).toThrow(
        /p1 and z2 must have the same shape, got \[2,3\] and \[3,3\]/,
      );
      expect(() => simsiamLoss().compute({ p1: a, p2: a, z1: a, z2: tf.zeros([3, 3]) as tf.Tensor2D })).toThrow(
        ShapeError,
      );
    }));

  it('keeps the tensor count flat across repeated compute + grad', () => {
    const xs = [1, 2, 3, 4].map((s) => tf.randomNormal([8, 4], 0, 1, 'float32', s));
    const obj = simsiamLoss();
    const loss = (p1: tf.Tensor, p2: tf.Tensor, z1: tf.Tensor, z2: tf.Tensor) =>
      obj.compute({ p1, p2, z1, z2 } as Parameters<typeof obj.compute>[0]);
    expect(tensorsLeftByGrads(loss, xs)).toBe(0);
    tf.dispose(xs);
  });
});
