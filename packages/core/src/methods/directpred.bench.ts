/**
 * Timing of DirectPred's eigensolver and update (not part of the default test run):
 *   npx vitest bench --run packages/core/src/methods/directpred.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import { bench, describe } from 'vitest';
import { DirectPredPredictor, symmetricEigen } from './directpred.js';

function covariance(n: number): Float64Array {
  const m = 2 * n;
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const x = Float64Array.from({ length: n * m }, rand);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += x[i * m + k] * x[j * m + k];
      a[i * n + j] = s / m;
    }
  }
  return a;
}

describe('symmetricEigen (Jacobi, float64)', () => {
  for (const n of [64, 128, 256]) {
    const a = covariance(n);
    bench(
      `n = ${n}`,
      () => {
        symmetricEigen(a, n);
      },
      { iterations: 3, time: 0 },
    );
  }
});

describe('DirectPredPredictor.update (batch 256)', () => {
  for (const d of [64, 128]) {
    const dp = new DirectPredPredictor(d);
    const f = tf.randomNormal([256, d], 0, 1, 'float32', 1) as tf.Tensor2D;
    bench(
      `dim = ${d}`,
      () => {
        dp.update(f);
      },
      { iterations: 5, time: 0 },
    );
  }
});
