import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  type FixtureCase,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import {
  expectNearLog,
  finiteValueAndGrads,
  itMatchesPyTorch,
  orthogonalViews,
  randomViews,
} from '../test-support/objective-checks.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { nearestNeighbours, nnclrLoss } from './nnclr-loss.js';

const fixture = loadFixture<{
  cases: FixtureCase[];
  lookup: { z: FixtureTensor; support: FixtureTensor; index: number[] }[];
}>('nnclr');

describe('nnclrLoss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', nnclrLoss, 1e-5);

  it('is exactly ln(N) when every neighbour is orthogonal to every prediction', () =>
    tf.tidy(() => {
      const n = 6;
      const [neighbours, predictions] = orthogonalViews(n);
      expect(nnclrLoss().compute({ neighbours, predictions }).dataSync()[0]).toBeCloseTo(Math.log(n), 5);
    }));

  it('starts near ln(N) (N - 1 negatives) for random embeddings', () =>
    tf.tidy(() => {
      const [neighbours, predictions] = randomViews(64, 256);
      const loss = nnclrLoss().compute({ neighbours, predictions }).dataSync()[0];
      // Cosines of random directions have std 1/16; at T = 0.1 the excess over ln N is ~ 0.2.
      expectNearLog(loss, 64, 0.3);
    }));

  it('has a finite value and gradient at T = 0.01 for identical rows', () => {
    const z = tf.tile(tf.randomNormal([1, 8], 0, 1, 'float32', 3), [5, 1]);
    const value = finiteValueAndGrads(
      (a, b) =>
        nnclrLoss({ temperature: 0.01 }).compute({ neighbours: a as tf.Tensor2D, predictions: b as tf.Tensor2D }),
      [z, z],
    );
    expect(value).toBeCloseTo(Math.log(5), 4);
    z.dispose();
  });

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(nnclrLoss().options).toEqual({ temperature: 0.1 });
      expect(() => nnclrLoss({ temperature: 0 })).toThrow(ConfigError);
      expect(() =>
        nnclrLoss().compute({
          neighbours: tf.zeros([4, 3]) as tf.Tensor2D,
          predictions: tf.zeros([4, 2]) as tf.Tensor2D,
        }),
      ).toThrow(ShapeError);
    }));
});

describe('nearestNeighbours', () => {
  for (const [i, c] of fixture.lookup.entries()) {
    it(`picks the support row of highest cosine, as PyTorch's argmax (${i + 1})`, () =>
      tf.tidy(() => {
        const support = toTensor(c.support) as tf.Tensor2D;
        const found = nearestNeighbours(toTensor(c.z) as tf.Tensor2D, support);
        const expected = tf.gather(support, c.index);
        expect(Array.from(found.dataSync())).toEqual(Array.from(expected.dataSync()));
      }));
  }

  it('uses cosine, not dot product: a long support vector does not win by its length', () =>
    tf.tidy(() => {
      const z = tf.tensor2d([[1, 0]]);
      const support = tf.tensor2d([
        [10, 10],
        [0.9, 0.1],
      ]);
      expect(Array.from(nearestNeighbours(z, support).dataSync())).toEqual([
        expect.closeTo(0.9, 6),
        expect.closeTo(0.1, 6),
      ]);
    }));

  it('passes no gradient and leaks no tensors', () => {
    const z = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const support = tf.randomNormal([9, 4], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(l2NormalizeRows(nearestNeighbours(a as tf.Tensor2D, b as tf.Tensor2D))),
    )([z, support]);
    expect(grads.every((g) => Array.from(g.dataSync()).every((v) => v === 0))).toBe(true);
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => nearestNeighbours(z as tf.Tensor2D, tf.zeros([3, 2]) as tf.Tensor2D)).toThrow(ShapeError);
    tf.dispose([z, support]);
  });
});
