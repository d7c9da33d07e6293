import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type FixtureCase, loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { itMatchesPyTorch, randomViews } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { ntXent } from './nt-xent.js';
import { type SupConOptions, supcon } from './supcon.js';

const fixture = loadFixture<{ cases: (FixtureCase & { labels: number[] | null })[] }>('supcon');

describe('supcon', () => {
  itMatchesPyTorch(
    fixture.cases,
    "matches PyTorch (SupContrast's SupConLoss)",
    (o, c) => {
      const obj = supcon(o as SupConOptions);
      const labels = c.labels ?? undefined;
      return { compute: ({ views }: { views: tf.Tensor3D }) => obj.compute({ views, labels }) };
    },
    1e-5,
  );

  it('is NT-Xent when every sample is its own class', () =>
    tf.tidy(() => {
      const [z1, z2] = randomViews(6, 5);
      const views = tf.stack([z1, z2]) as tf.Tensor3D;
      for (const temperature of [0.5, 0.07]) {
        const expected = ntXent({ temperature }).compute({ z1, z2 }).dataSync()[0];
        expect(supcon({ temperature }).compute({ views }).dataSync()[0]).toBeCloseTo(expected, 4);
        const distinct = [0, 1, 2, 3, 4, 5];
        expect(supcon({ temperature }).compute({ views, labels: distinct }).dataSync()[0]).toBeCloseTo(expected, 4);
      }
    }));

  it('is exactly log(VN - 1) when all views are orthogonal', () =>
    tf.tidy(() => {
      const views = tf.reshape(tf.eye(12), [2, 6, 12]) as tf.Tensor3D;
      expect(
        supcon()
          .compute({ views, labels: [0, 1, 0, 1, 2, 2] })
          .dataSync()[0],
      ).toBeCloseTo(Math.log(11), 4);
    }));

  it('starts near log(VN - 1) for random embeddings', () =>
    tf.tidy(() => {
      const views = tf.randomNormal([2, 32, 512], 0, 1, 'float32', 3) as tf.Tensor3D;
      const labels = Array.from({ length: 32 }, (_, i) => i % 10);
      const loss = supcon({ temperature: 0.1 }).compute({ views, labels }).dataSync()[0];
      expect(loss).toBeGreaterThan(Math.log(63) - 0.1);
      expect(loss).toBeLessThan(Math.log(63) + 0.2);
    }));

  it('accepts labels as a tensor and prefers embeddings that group by label', () =>
    tf.tidy(() => {
      const labels = [0, 0, 1, 1, 2, 2];
      const centres = tf.randomNormal([3, 8], 0, 1, 'float32', 4);
      const grouped = tf.add(tf.gather(centres, labels), tf.randomNormal([6, 8], 0, 0.1, 'float32', 5));
      const views = tf.stack([grouped, tf.add(grouped, tf.randomNormal([6, 8], 0, 0.1, 'float32', 6))]) as tf.Tensor3D;
      const obj = supcon();
      const good = obj.compute({ views, labels }).dataSync()[0];
      expect(obj.compute({ views, labels: tf.tensor1d(labels, 'int32') }).dataSync()[0]).toBeCloseTo(good, 5);
      expect(good).toBeLessThan(obj.compute({ views, labels: [0, 1, 2, 0, 1, 2] }).dataSync()[0]);
    }));

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(supcon().options).toEqual({ temperature: 0.07, baseTemperature: 0.07 });
      expect(() => supcon({ temperature: 0 })).toThrow(ConfigError);
      expect(() => supcon({ baseTemperature: -1 })).toThrow(ConfigError);
      const views = tf.zeros([2, 4, 3]) as tf.Tensor3D;
      expect(() => supcon().compute({ views, labels: [0, 1, 2] })).toThrow(/expected 4 labels/);
      expect(() => supcon().compute({ views: tf.zeros([1, 1, 3]) as tf.Tensor3D })).toThrow(ShapeError);
    }));
});
