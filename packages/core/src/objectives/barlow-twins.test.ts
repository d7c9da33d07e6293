import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkFlatTensorCount, loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { expectViewShapeChecks, itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError } from '../errors.js';
import { barlowTwins, barlowTwinsCrossCorrelation } from './barlow-twins.js';

const fixture = loadFixture('barlow-twins');

describe('barlowTwins', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', barlowTwins);

  it('is near 0 for identical views with decorrelated dimensions, larger for redundant ones', () =>
    tf.tidy(() => {
      // Columns of a scaled orthogonal-ish design: +-1 Hadamard patterns are exactly decorrelated.
      const h = tf.tensor2d([
        [1, 1, 1],
        [1, -1, 1],
        [1, 1, -1],
        [1, -1, -1],
        [-1, 1, 1],
        [-1, -1, 1],
        [-1, 1, -1],
        [-1, -1, -1],
      ]);
      const obj = barlowTwins({ lambda: 1 });
      const good = obj.compute({ z1: h, z2: h }).dataSync()[0];
      expect(good).toBeLessThan(1e-4);
      const redundant = tf.concat(
        [tf.slice(h, [0, 0], [8, 1]), tf.slice(h, [0, 0], [8, 1]), tf.slice(h, [0, 1], [8, 1])],
        1,
      ) as tf.Tensor2D;
      expect(obj.compute({ z1: redundant, z2: redundant }).dataSync()[0]).toBeGreaterThan(1.9);
      // C of identical views has a unit diagonal.
      const c = barlowTwinsCrossCorrelation(h, h);
      expect(Array.from(tf.sum(tf.mul(c, tf.eye(3)), 1).dataSync()).every((v) => Math.abs(v - 1) < 1e-4)).toBe(true);
    }));

  it('uses lambda 5.1e-3 by default and rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(barlowTwins().options).toEqual({ lambda: 5.1e-3, eps: 1e-5 });
      expect(() => barlowTwins({ lambda: -1 })).toThrow(ConfigError);
      expectViewShapeChecks(barlowTwins());
    }));

  it('keeps the tensor count flat across repeated compute + grad', () => checkFlatTensorCount(barlowTwins()));
});
