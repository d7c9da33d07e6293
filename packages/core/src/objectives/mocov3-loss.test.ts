import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import { itMatchesPyTorch, orthogonalViews } from '../test-support/objective-checks.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { infoNCE } from './info-nce.js';
import { mocov3Loss } from './mocov3-loss.js';

const fixture = loadFixture('mocov3');

describe('mocov3Loss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (key gradient stopped)', mocov3Loss, 1e-5);

  it('is 2T (InfoNCE(q1, k2) + InfoNCE(q2, k1)) on normalised rows', () =>
    tf.tidy(() => {
      const [q1, q2, k1, k2] = [1, 2, 3, 4].map(
        (s) => l2NormalizeRows(tf.randomNormal([6, 5], 0, 1, 'float32', s) as tf.Tensor2D) as tf.Tensor2D,
      );
      for (const temperature of [1, 0.2]) {
        const nce = infoNCE({ temperature });
        const expected =
          2 *
          temperature *
          (nce.compute({ query: q1, positive: k2 }).dataSync()[0] +
            nce.compute({ query: q2, positive: k1 }).dataSync()[0]);
        expect(mocov3Loss({ temperature }).compute({ q1, q2, k1, k2 }).dataSync()[0]).toBeCloseTo(expected, 5);
      }
    }));

  it('is exactly 4T ln(N) when queries and keys are orthogonal (N - 1 negatives each)', () =>
    tf.tidy(() => {
      const n = 6;
      const [q, k] = orthogonalViews(n);
      for (const temperature of [1, 0.2]) {
        const loss = mocov3Loss({ temperature }).compute({ q1: q, q2: q, k1: k, k2: k }).dataSync()[0];
        expect(loss).toBeCloseTo(4 * temperature * Math.log(n), 5);
      }
    }));

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(mocov3Loss().options).toEqual({ temperature: 1 });
      expect(() => mocov3Loss({ temperature: 0 })).toThrow(ConfigError);
      const a = tf.zeros([4, 3]) as tf.Tensor2D;
      expect(() => mocov3Loss().compute({ q1: a, q2: a, k1: a, k2: tf.zeros([4, 2]) as tf.Tensor2D })).toThrow(
        ShapeError,
      );
      expect(() => mocov3Loss().compute({ q1: a, q2: tf.zeros([5, 3]) as tf.Tensor2D, k1: a, k2: a })).toThrow(
        /q2 must be \[4, 3\] \(as q1\), got \[5,3\]/,
      );
    }));
});
