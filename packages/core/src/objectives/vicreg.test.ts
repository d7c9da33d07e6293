import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkFlatTensorCount, loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { expectViewShapeChecks, itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError } from '../errors.js';
import { vicreg, vicregTerms } from './vicreg.js';

const fixture = loadFixture('vicreg');

describe('vicreg', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', vicreg);

  it('has a zero variance term when every std >= 1 and a positive one when a dimension collapses', () =>
    tf.tidy(() => {
      const wide = tf.mul(tf.randomNormal([64, 6], 0, 1, 'float32', 3), 3) as tf.Tensor2D;
      expect(vicregTerms(wide, wide).variance.dataSync()[0]).toBe(0);
      const collapsed = tf.concat([tf.slice(wide, [0, 0], [64, 5]), tf.fill([64, 1], 0.7)], 1) as tf.Tensor2D;
      // One of six dimensions has std 0: hinge 1 - sqrt(eps) on it, averaged over 6.
      expect(vicregTerms(collapsed, collapsed).variance.dataSync()[0]).toBeCloseTo((1 - Math.sqrt(1e-4)) / 6, 5);
    }));

  it('has zero invariance for identical views and zero covariance for decorrelated dimensions', () =>
    tf.tidy(() => {
      const h = tf.tensor2d([
        [1, 1],
        [1, -1],
        [-1, 1],
        [-1, -1],
      ]);
      const t = vicregTerms(h, h);
      expect(t.invariance.dataSync()[0]).toBe(0);
      expect(t.covariance.dataSync()[0]).toBeCloseTo(0, 6);
      const redundant = tf.concat([tf.slice(h, [0, 0], [4, 1]), tf.slice(h, [0, 0], [4, 1])], 1) as tf.Tensor2D;
      expect(vicregTerms(redundant, redundant).covariance.dataSync()[0]).toBeGreaterThan(1);
    }));

  it('uses the paper defaults and rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(vicreg().options).toEqual({ simCoeff: 25, stdCoeff: 25, covCoeff: 1, eps: 1e-4 });
      expect(() => vicreg({ eps: 0 })).toThrow(ConfigError);
      expect(() => vicreg({ simCoeff: -1 })).toThrow(ConfigError);
      expectViewShapeChecks(vicreg());
    }));

  it('keeps the tensor count flat across repeated compute + grad', () => checkFlatTensorCount(vicreg()));
});
