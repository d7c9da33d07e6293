import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type FixtureCase,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { itMatchesPyTorch, randomViews } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { tico, ticoCovarianceUpdate } from './tico.js';

const fixture = loadFixture<{
  cases: FixtureCase[];
  updates: { beta: number; z1: FixtureTensor; previous: FixtureTensor | null; expected: FixtureTensor }[];
}>('tico');

describe('tico', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (previous covariance gradient stopped)', tico, 1e-5);

  it('treats an omitted covariance as zeros (the first step)', () =>
    tf.tidy(() => {
      const [z1, z2] = randomViews(6, 4);
      const obj = tico();
      const omitted = obj.compute({ z1, z2 }).dataSync()[0];
      const zeros = obj.compute({ z1, z2, covariance: tf.zeros([4, 4]) as tf.Tensor2D }).dataSync()[0];
      expect(omitted).toBeCloseTo(zeros, 6);
    }));

  it('rewards aligned views and penalises directions the running covariance already holds', () =>
    tf.tidy(() => {
      const z1 = tf.randomNormal([16, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
      const aligned = tf.add(z1, tf.randomNormal([16, 8], 0, 0.1, 'float32', 4)) as tf.Tensor2D;
      const obj = tico();
      const good = obj.compute({ z1, z2: aligned }).dataSync()[0];
      const bad = obj.compute({ z1, z2: tf.reverse(aligned, 0) as tf.Tensor2D }).dataSync()[0];
      expect(good).toBeLessThan(bad);
      const crowded = ticoCovarianceUpdate(z1, undefined, 0); // C = z1's own second moment
      const withC = obj.compute({ z1, z2: aligned, covariance: crowded }).dataSync()[0];
      expect(withC).toBeGreaterThan(good);
    }));

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(tico().options).toEqual({ beta: 0.9, rho: 20 });
      expect(() => tico({ beta: 1.5 })).toThrow(ConfigError);
      expect(() => tico({ rho: -1 })).toThrow(ConfigError);
      const a = tf.zeros([4, 3]) as tf.Tensor2D;
      expect(() => tico().compute({ z1: a, z2: tf.zeros([4, 2]) as tf.Tensor2D })).toThrow(ShapeError);
      expect(() => tico().compute({ z1: a, z2: a, covariance: tf.zeros([2, 2]) as tf.Tensor2D })).toThrow(
        /covariance must be \[3, 3\], got \[2,2\]/,
      );
    }));
});

describe('ticoCovarianceUpdate', () => {
  for (const [i, u] of fixture.updates.entries()) {
    it(`matches PyTorch (${i + 1}, beta ${u.beta}${u.previous === null ? ', first step' : ''})`, () =>
      tf.tidy(() => {
        const previous = u.previous === null ? undefined : (toTensor(u.previous) as tf.Tensor2D);
        const next = ticoCovarianceUpdate(toTensor(u.z1) as tf.Tensor2D, previous, u.beta);
        expectClose(next.dataSync(), u.expected.data, 'covariance', 1e-5);
      }));
  }

  it('passes no gradient and leaks no tensors', () => {
    const z = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const [g] = tf.grads((x: tf.Tensor) => tf.sum(ticoCovarianceUpdate(x as tf.Tensor2D)))([z]);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => ticoCovarianceUpdate(z as tf.Tensor2D, undefined, -0.1)).toThrow(ConfigError);
    z.dispose();
  });
});
