import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import { infoNCE, infoNCEFromLogits } from './info-nce.js';
import { itMatchesPyTorch, randomViews, tensorsLeftByGrads } from '../test-support/objective-checks.js';
import { describeOnBackends } from '../test-support/on-backends.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';

const fixture = loadFixture('info-nce');

await describeOnBackends('infoNCE', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', infoNCE);

  it('keeps the tensor count flat across repeated compute + grad of the cross-entropy', () => {
    const logits = tf.randomNormal([6, 9], 0, 1, 'float32', 3) as tf.Tensor2D;
    const step = () => {
      const { value, grads } = tf.valueAndGrads((l: tf.Tensor) =>
        infoNCEFromLogits(l as tf.Tensor2D, [0, 1, 2, 3, 4, 5]),
      )([logits]);
      tf.dispose([value, ...grads]);
    };
    expect(tensorsLeftBy(step, 5)).toBe(0);
    logits.dispose();
  });
});

describe('infoNCE', () => {
  it('infoNCEFromLogits equals log(C) for uniform logits and respects the positive index', () =>
    tf.tidy(() => {
      expect(infoNCEFromLogits(tf.zeros([3, 5]) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(Math.log(5), 5);
      const logits = tf.tensor2d([
        [0, 10, 0],
        [0, 0, 10],
      ]);
      expect(infoNCEFromLogits(logits, [1, 2]).dataSync()[0]).toBeLessThan(1e-3);
      expect(infoNCEFromLogits(logits, 0).dataSync()[0]).toBeGreaterThan(9);
    }));

  it('is lower when each query is paired with its own positive than with a shuffled one', () =>
    tf.tidy(() => {
      const q = tf.randomNormal([16, 8], 0, 1, 'float32', 11) as tf.Tensor2D;
      const aligned = tf.add(q, tf.randomNormal([16, 8], 0, 0.1, 'float32', 12)) as tf.Tensor2D;
      const shuffled = tf.reverse(aligned, 0) as tf.Tensor2D;
      const obj = infoNCE({ temperature: 0.5 });
      const good = obj.compute({ query: q, positive: aligned }).dataSync()[0];
      const bad = obj.compute({ query: q, positive: shuffled }).dataSync()[0];
      expect(good).toBeLessThan(bad);
    }));

  it('rejects bad temperatures and shapes, naming expected and actual', () =>
    tf.tidy(() => {
      expect(() => infoNCE({ temperature: 0 })).toThrow(ConfigError);
      const q = tf.zeros([4, 3]) as tf.Tensor2D;
      const obj = infoNCE();
      expect(() => obj.compute({ query: q, positive: tf.zeros([4, 2]) as tf.Tensor2D })).toThrow(ShapeError);
      expect(() => obj.compute({ query: q, positive: q, negatives: tf.zeros([5, 2]) as tf.Tensor2D })).toThrow(
        /\[M, 3\], got \[5,2\]/,
      );
      expect(() => obj.compute({ query: q, positive: q, negatives: tf.zeros([3, 2, 3]) as tf.Tensor3D })).toThrow(
        /\[4, K, 3\], got \[3,2,3\]/,
      );
      expect(() => infoNCEFromLogits(tf.zeros([2, 3]) as tf.Tensor2D, [0, 3])).toThrow(ShapeError);
    }));

  it('keeps the tensor count flat across repeated compute + grad', () => {
    const [q, p] = randomViews(8, 4);
    const n = tf.randomNormal([8, 3, 4], 0, 1, 'float32', 3);
    const obj = infoNCE({ temperature: 0.2 });
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      obj.compute({ query: a as tf.Tensor2D, positive: b as tf.Tensor2D, negatives: c as tf.Tensor3D });
    expect(tensorsLeftByGrads(loss, [q, p, n])).toBe(0);
    tf.dispose([q, p, n]);
  });
});
