import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { expectNearLog, itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { swavLoss } from './swav-loss.js';

const fixture = loadFixture('swav');

describe('swavLoss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (codes without gradient)', swavLoss, 1e-5);

  it('is exactly ln(K) when the predictions are uniform', () =>
    tf.tidy(() => {
      const scores = tf.zeros([4, 6, 9]) as tf.Tensor3D;
      const codes = tf.softmax(tf.randomNormal([2, 6, 9], 0, 3, 'float32', 1)) as tf.Tensor3D;
      expect(swavLoss().compute({ scores }).dataSync()[0]).toBeCloseTo(Math.log(9), 5);
      expect(swavLoss().compute({ scores, codes }).dataSync()[0]).toBeCloseTo(Math.log(9), 5);
    }));

  it('starts near ln(K) at random init (normalised projections and prototypes)', () =>
    tf.tidy(() => {
      const k = 3000;
      const d = 128;
      const prototypes = l2NormalizeRows(tf.randomNormal([k, d], 0, 1, 'float32', 2) as tf.Tensor2D);
      const z = l2NormalizeRows(tf.randomNormal([4 * 16, d], 0, 1, 'float32', 3) as tf.Tensor2D);
      const scores = tf.reshape(tf.matMul(z, prototypes, false, true), [4, 16, k]) as tf.Tensor3D;
      const loss = swavLoss().compute({ scores }).dataSync()[0];
      // Scores are cosines of random directions, std 1/sqrt(128); divided by T = 0.1 their
      // log-sum-exp exceeds ln K by about var / 2 = 0.39, and the codes are uncorrelated with
      // the other crops' predictions.
      expectNearLog(loss, k, 0.39 + 0.1);
    }));

  it('is lower when the crops agree on their prototypes than when they do not', () =>
    tf.tidy(() => {
      const a = tf.randomUniform([1, 8, 5], -1, 1, 'float32', 4) as tf.Tensor3D;
      const b = tf.randomUniform([1, 8, 5], -1, 1, 'float32', 5) as tf.Tensor3D;
      const obj = swavLoss();
      const agree = obj.compute({ scores: tf.concat([a, a]) as tf.Tensor3D }).dataSync()[0];
      const disagree = obj.compute({ scores: tf.concat([a, b]) as tf.Tensor3D }).dataSync()[0];
      expect(agree).toBeLessThan(disagree);
    }));

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(swavLoss().options).toEqual({ temperature: 0.1, assignCrops: 2, epsilon: 0.05, iterations: 3 });
      expect(() => swavLoss({ temperature: 0 })).toThrow(ConfigError);
      expect(() => swavLoss({ assignCrops: 0 })).toThrow(ConfigError);
      expect(() => swavLoss({ iterations: 0 })).toThrow(ConfigError);
      const obj = swavLoss();
      expect(() => obj.compute({ scores: tf.zeros([1, 4, 3]) as tf.Tensor3D })).toThrow(ShapeError);
      expect(() => swavLoss({ assignCrops: 3 }).compute({ scores: tf.zeros([2, 4, 3]) as tf.Tensor3D })).toThrow(
        /3 assignment crops but only 2 crops/,
      );
      expect(() =>
        obj.compute({ scores: tf.zeros([2, 4, 3]) as tf.Tensor3D, codes: tf.zeros([2, 4, 5]) as tf.Tensor3D }),
      ).toThrow(/codes must be \[A, 4, 3\], got \[2,4,5\]/);
    }));
});
