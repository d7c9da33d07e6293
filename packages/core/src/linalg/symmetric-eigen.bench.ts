/**
 * Timing of the symmetric eigensolver and DirectPred's update (not part of the default test run):
 *   npx vitest bench --run packages/core/src/linalg/symmetric-eigen.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import { bench, describe } from 'vitest';
import { DirectPredPredictor } from '../heads/directpred-predictor.js';
import { randomCovariance } from '../test-support/random-covariance.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';

/** One bench per size of a solver that reads a dense symmetric n x n matrix (random covariances). */
function benchSolver(title: string, solve: (a: Float64Array, n: number) => unknown): void {
  describe(title, () => {
    for (const n of [64, 128, 256]) {
      const a = randomCovariance(n, 2 * n, 7);
      bench(
        `n = ${n}`,
        () => {
          solve(a, n);
        },
        { iterations: 3, time: 0 },
      );
    }
  });
}

benchSolver('symmetricEigen (Jacobi, float64)', symmetricEigen);
benchSolver('symmetricEigenvalues (Householder + QL, eigenvalues only, float64)', symmetricEigenvalues);

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
