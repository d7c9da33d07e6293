import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError } from '../errors.js';
import {
  expectNearLog,
  expectViewShapeChecks,
  finiteValueAndGrads,
  itMatchesPyTorch,
  orthogonalViews,
  randomViews,
} from '../test-support/objective-checks.js';
import { dcl, dclw } from './dcl.js';
import { ntXent } from './nt-xent.js';

const dclFixture = loadFixture('dcl');
const dclwFixture = loadFixture('dclw');

describe('dcl and dclw', () => {
  itMatchesPyTorch(dclFixture.cases, 'dcl matches PyTorch', dcl, 1e-5);
  itMatchesPyTorch(dclwFixture.cases, 'dclw matches PyTorch', dclw, 1e-5);

  it('is exactly log(2N - 2), the log of the number of negatives, when all views are orthogonal', () =>
    tf.tidy(() => {
      const n = 5;
      const [z1, z2] = orthogonalViews(n);
      expect(dcl().compute({ z1, z2 }).dataSync()[0]).toBeCloseTo(Math.log(2 * n - 2), 5);
      expect(dclw().compute({ z1, z2 }).dataSync()[0]).toBeCloseTo(Math.log(2 * n - 2), 5);
    }));

  it('starts near log(2N - 2) for random embeddings', () =>
    tf.tidy(() => {
      const [z1, z2] = randomViews(64, 256);
      const loss = dcl().compute({ z1, z2 }).dataSync()[0];
      expectNearLog(loss, 126, 0.3);
    }));

  it('is below NT-Xent on the same views (the positive left the denominator)', () =>
    tf.tidy(() => {
      const z1 = tf.randomNormal([8, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
      const z2 = tf.add(z1, tf.randomNormal([8, 6], 0, 0.3, 'float32', 4)) as tf.Tensor2D;
      for (const temperature of [0.5, 0.1]) {
        const decoupled = dcl({ temperature }).compute({ z1, z2 }).dataSync()[0];
        const coupled = ntXent({ temperature }).compute({ z1, z2 }).dataSync()[0];
        expect(decoupled).toBeLessThan(coupled);
      }
    }));

  it('has a finite value and gradient at T = 0.01 for identical rows', () => {
    const z = tf.tile(tf.randomNormal([1, 8], 0, 1, 'float32', 5), [6, 1]);
    for (const obj of [dcl({ temperature: 0.01 }), dclw({ temperature: 0.01, sigma: 0.05 })]) {
      finiteValueAndGrads((a, b) => obj.compute({ z1: a as tf.Tensor2D, z2: b as tf.Tensor2D }), [z, z]);
    }
    z.dispose();
  });

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(dcl().options).toEqual({ temperature: 0.1 });
      expect(dclw().options).toEqual({ temperature: 0.1, sigma: 0.5 });
      expect(() => dcl({ temperature: 0 })).toThrow(ConfigError);
      expect(() => dclw({ sigma: -1 })).toThrow(ConfigError);
      expectViewShapeChecks(dcl());
      expectViewShapeChecks(dclw());
    }));
});
