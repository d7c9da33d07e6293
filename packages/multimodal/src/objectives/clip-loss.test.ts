import { readFileSync } from 'node:fs';
import { ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CLIP_INIT_LOG_SCALE, clipLoss } from './clip-loss.js';

interface ClipCase {
  n: number;
  d: number;
  logScale: number;
  maxScale: number;
  a: number[];
  b: number[];
  loss: number;
  gradA: number[];
  gradB: number[];
  gradLogScale: number;
}

// Produced by tools/fixtures/multimodal/clip.py (PyTorch autograd, float64).
const fixture = JSON.parse(
  readFileSync(new URL('../../../../tools/fixtures/multimodal/clip.json', import.meta.url), 'utf8'),
) as { cases: ClipCase[] };

function close(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  }
}

describe('clipLoss', () => {
  for (const c of fixture.cases) {
    it(`matches PyTorch: loss and gradients, n=${c.n} d=${c.d} logScale=${c.logScale.toFixed(3)}`, () => {
      const before = tf.memory().numTensors;
      const a = tf.tensor2d(c.a, [c.n, c.d]);
      const b = tf.tensor2d(c.b, [c.n, c.d]);
      const t = tf.scalar(c.logScale);
      const obj = clipLoss({ maxScale: c.maxScale });
      const f = (x: tf.Tensor, y: tf.Tensor, s: tf.Tensor) =>
        obj.compute({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, logScale: s as tf.Scalar });
      const { value, grads } = tf.valueAndGrads(f)([a, b, t]);
      close(value.dataSync(), [c.loss], 1e-4);
      close(grads[0]!.dataSync(), c.gradA, 1e-3);
      close(grads[1]!.dataSync(), c.gradB, 1e-3);
      close(grads[2]!.dataSync(), [c.gradLogScale], 1e-3);
      tf.dispose([a, b, t, value, ...grads]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('initial log-scale is log(1/0.07)', () => {
    expect(Math.exp(CLIP_INIT_LOG_SCALE)).toBeCloseTo(1 / 0.07, 6);
  });

  it('rejects mismatched shapes and a non-scalar log-scale', () =>
    tf.tidy(() => {
      const obj = clipLoss();
      expect(() => obj.compute({ a: tf.zeros([3, 4]), b: tf.zeros([2, 4]), logScale: tf.scalar(1) })).toThrow(
        ShapeError,
      );
      expect(() =>
        obj.compute({ a: tf.zeros([3, 4]), b: tf.zeros([3, 4]), logScale: tf.zeros([1]) as unknown as tf.Scalar }),
      ).toThrow(/scalar/);
    }));
});
