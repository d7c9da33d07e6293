import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkFlatTensorCount, loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import { finiteValueAndGrads, itMatchesPyTorch } from '../test-support/objective-checks.js';
import { describeOnBackends } from '../test-support/on-backends.js';
import { ntXent } from './nt-xent.js';

const fixture = loadFixture('nt-xent');

await describeOnBackends('ntXent', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', ntXent);
});

describe('ntXent', () => {
  it('has a finite value and gradient at T = 0.01 for identical and nearly identical rows', () => {
    const base = tf.randomNormal([1, 16], 0, 1, 'float32', 5);
    const cases = [
      [tf.tile(base, [8, 1]), tf.tile(base, [8, 1])], // all rows identical
      [tf.add(tf.tile(base, [8, 1]), tf.randomNormal([8, 16], 0, 1e-4, 'float32', 6)), tf.tile(base, [8, 1])],
      [tf.mul(tf.tile(base, [8, 1]), 1e3), tf.zeros([8, 16])], // huge and zero rows
    ];
    for (const temperature of [0.05, 0.01]) {
      const obj = ntXent({ temperature });
      for (const [a, b] of cases) {
        finiteValueAndGrads((x, y) => obj.compute({ z1: x as tf.Tensor2D, z2: y as tf.Tensor2D }), [a, b]);
      }
    }
    tf.dispose([base, ...cases.flat()]);
  });

  it('is lower for aligned views than for shuffled ones', () =>
    tf.tidy(() => {
      const z1 = tf.randomNormal([16, 8], 0, 1, 'float32', 7) as tf.Tensor2D;
      const z2 = tf.add(z1, tf.randomNormal([16, 8], 0, 0.2, 'float32', 8)) as tf.Tensor2D;
      const shuffled = tf.reverse(z2, 0) as tf.Tensor2D;
      for (const temperature of [0.5, 0.1]) {
        const obj = ntXent({ temperature });
        expect(obj.compute({ z1, z2 }).dataSync()[0]).toBeLessThan(obj.compute({ z1, z2: shuffled }).dataSync()[0]);
      }
    }));

  it('defaults to temperature 0.5 and rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(ntXent().options).toEqual({ temperature: 0.5 });
      expect(() => ntXent({ temperature: -1 })).toThrow(ConfigError);
      expect(() => ntXent({ temperature: Number.NaN })).toThrow(ConfigError);
      const a = tf.zeros([4, 3]) as tf.Tensor2D;
      expect(() => ntXent().compute({ z1: a, z2: tf.zeros([5, 3]) as tf.Tensor2D })).toThrow(ShapeError);
      expect(() => ntXent().compute({ z1: tf.zeros([4]) as tf.Tensor as tf.Tensor2D, z2: a })).toThrow(
        /z1 must be \[N, D\], got \[4\]/,
      );
    }));

  it('keeps the tensor count flat across repeated compute + grad', () =>
    checkFlatTensorCount(ntXent({ temperature: 0.1 })));
});
