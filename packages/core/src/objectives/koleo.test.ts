import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { koleo } from './koleo.js';

const fixture = loadFixture('koleo');

describe('koleo', () => {
  // A near-duplicate pair's distance is a difference of unit vectors 1e-3 apart: float32
  // carries it to about 6e-8 / 1e-3 relative, so that case is checked at 1e-4.
  itMatchesPyTorch(fixture.cases, "matches PyTorch (DINOv2's koleo_loss.py)", koleo, (c) =>
    c.label.startsWith('near-duplicate') ? 1e-4 : 1e-5,
  );

  it('is -log(2 sin(pi / N)) for N points evenly spaced on a circle, at any scale', () =>
    tf.tidy(() => {
      const n = 12;
      const angles = Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
      const circle = tf.tensor2d(angles.map((a) => [3 * Math.cos(a), 3 * Math.sin(a), 0]));
      const expected = -Math.log(2 * Math.sin(Math.PI / n));
      expect(koleo().compute({ z: circle }).dataSync()[0]).toBeCloseTo(expected, 5);
    }));

  it('is lower for a spread batch than for a clustered one', () =>
    tf.tidy(() => {
      const spread = tf.randomNormal([32, 16], 0, 1, 'float32', 1) as tf.Tensor2D;
      const clustered = tf.add(
        tf.tile(tf.randomNormal([4, 16], 0, 1, 'float32', 2), [8, 1]),
        tf.randomNormal([32, 16], 0, 0.05, 'float32', 3),
      ) as tf.Tensor2D;
      expect(koleo().compute({ z: spread }).dataSync()[0]).toBeLessThan(
        koleo().compute({ z: clustered }).dataSync()[0],
      );
    }));

  it('rejects bad options and fewer than 2 rows', () =>
    tf.tidy(() => {
      expect(koleo().options).toEqual({ eps: 1e-8 });
      expect(() => koleo({ eps: 0 })).toThrow(ConfigError);
      expect(() => koleo().compute({ z: tf.zeros([1, 3]) as tf.Tensor2D })).toThrow(ShapeError);
    }));
});
