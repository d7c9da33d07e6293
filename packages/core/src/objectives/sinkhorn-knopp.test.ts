import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import { type SinkhornKnoppOptions, sinkhornKnopp } from './sinkhorn-knopp.js';
import { swavCodes } from './swav-loss.js';

interface SinkhornCase {
  label: string;
  options: SinkhornKnoppOptions;
  scores: FixtureTensor;
  queue?: FixtureTensor;
  codes: FixtureTensor;
}

const fixture = loadFixture<{ cases: SinkhornCase[] }>('sinkhorn-knopp');

describe('sinkhornKnopp', () => {
  for (const c of fixture.cases) {
    it(`matches PyTorch (main_swav.py's distributed_sinkhorn): ${c.label}`, () =>
      tf.tidy(() => {
        const scores = toTensor(c.scores) as tf.Tensor2D;
        const codes =
          c.queue === undefined
            ? sinkhornKnopp(scores, c.options)
            : swavCodes(scores, toTensor(c.queue) as tf.Tensor2D, c.options);
        expect(codes.shape).toEqual(c.codes.shape);
        expectClose(codes.dataSync(), c.codes.data, c.label, 1e-5);
      }));
  }

  it('gives soft assignments (rows sum to 1) that converge to an equipartition (columns B / K)', () =>
    tf.tidy(() => {
      const scores = tf.randomUniform([12, 4], -1, 1, 'float32', 1) as tf.Tensor2D;
      const q = sinkhornKnopp(scores, { iterations: 3 });
      for (const s of tf.sum(q, 1).dataSync()) expect(s).toBeCloseTo(1, 5);
      const converged = sinkhornKnopp(scores, { iterations: 200 });
      for (const s of tf.sum(converged, 0).dataSync()) expect(s).toBeCloseTo(12 / 4, 3);
    }));

  it('stays finite where exp(scores / epsilon) would overflow float32', () =>
    tf.tidy(() => {
      // exp(1 / 0.005) = exp(200) is Infinity in float32; the log-domain iterations are not.
      const scores = tf.randomUniform([6, 5], -1, 1, 'float32', 2) as tf.Tensor2D;
      const q = sinkhornKnopp(scores, { epsilon: 0.005 });
      expect(Array.from(q.dataSync()).every(Number.isFinite)).toBe(true);
      for (const s of tf.sum(q, 1).dataSync()) expect(s).toBeCloseTo(1, 5);
    }));

  it('passes no gradient back to the scores', () => {
    const scores = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
    const weights = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    const [g] = tf.grads((s: tf.Tensor) => tf.sum(tf.mul(sinkhornKnopp(s as tf.Tensor2D), weights)))([scores]);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([scores, weights, g]);
  });

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      const s = tf.zeros([4, 3]) as tf.Tensor2D;
      expect(() => sinkhornKnopp(s, { epsilon: 0 })).toThrow(ConfigError);
      expect(() => sinkhornKnopp(s, { iterations: 1.5 })).toThrow(/iterations: expected an integer >= 1, got 1.5/);
      expect(() => sinkhornKnopp(tf.zeros([4]) as tf.Tensor as tf.Tensor2D)).toThrow(ShapeError);
      expect(() => swavCodes(s, tf.zeros([5, 2]) as tf.Tensor2D)).toThrow(/queueScores must be \[M, 3\]/);
    }));

  it('leaks no tensors', () => {
    const s = tf.randomNormal([4, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.dispose([sinkhornKnopp(s), swavCodes(s, s)]);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});
