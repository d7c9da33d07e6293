import { readFileSync } from 'node:fs';
import { ConfigError, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { imax, imaxInformation } from './imax.js';

interface Case {
  label: string;
  eps: number;
  a: number[];
  b: number[];
  info: number;
  loss: number;
  gradA: number[];
  gradB: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../../tools/fixtures/classics/imax.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

function close(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(expected[i]!)));
  }
}

describe('imax', () => {
  for (const c of fixture.cases) {
    it(`matches PyTorch value and gradients: ${c.label}`, () =>
      tf.tidy(() => {
        const a = tf.tensor1d(c.a);
        const b = tf.tensor1d(c.b);
        const objective = imax({ eps: c.eps });
        const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) =>
          objective.compute({ a: x as tf.Tensor1D, b: y as tf.Tensor1D }),
        )([a, b]);
        close(value.dataSync(), [c.loss], 1e-4);
        close(imaxInformation(a, b, c.eps).dataSync(), [c.info], 1e-4);
        close(grads[0]!.dataSync(), c.gradA, 1e-4);
        close(grads[1]!.dataSync(), c.gradB, 1e-4);
      }));
  }

  it('is large for identical outputs and near zero for a constant one', () =>
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3, 4, 5]);
      expect(imaxInformation(x, x).dataSync()[0]).toBeGreaterThan(5);
      expect(Math.abs(imaxInformation(x, tf.zerosLike(x) as tf.Tensor1D).dataSync()[0]!)).toBeLessThan(1e-3);
    }));

  it('rejects bad eps and shapes', () => {
    expect(() => imax({ eps: 0 })).toThrow(ConfigError);
    tf.tidy(() => {
      expect(() => imaxInformation(tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3]))).toThrow(ShapeError);
      expect(() => imaxInformation(tf.tensor1d([1]), tf.tensor1d([1]))).toThrow(ShapeError);
    });
  });
});
