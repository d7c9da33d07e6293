/**
 * Barlow Twins (Zbontar, Jing, Misra, LeCun & Deny 2021, "Barlow Twins: Self-Supervised
 * Learning via Redundancy Reduction", eq. 1-2):
 *
 *   C_ij = sum_b zn1_bi zn2_bj / N
 *   L    = sum_i (1 - C_ii)^2 + lambda * sum_i sum_{j != i} C_ij^2
 *
 * where zn = z standardised along the batch. Standardisation follows the authors' training
 * code (a BatchNorm1d without affine parameters in training mode): the biased batch variance
 * (divide by N) with eps inside the square root, `zn = (z - mean) / sqrt(var_biased + eps)`,
 * eps = 1e-5. (The paper's pseudo-code divides by the unbiased std; the difference is a
 * factor (N-1)/N on C.) The eps keeps collapsed dimensions finite.
 */
import * as tf from '@tensorflow/tfjs';
import { expectNumberOption, expectSameRows } from './check-shapes.js';
import type { Objective } from './objective.js';

/** Options of {@link barlowTwins}. */
export interface BarlowTwinsOptions {
  /** Weight of the redundancy-reduction (off-diagonal) term; default 5.1e-3 (the paper's). */
  lambda?: number;
  /** Added to the biased batch variance before the square root; default 1e-5. */
  eps?: number;
}

/** Inputs of {@link barlowTwins}: projections of two views, `[N, D]` each, N >= 2. */
export interface BarlowTwinsInputs {
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
}

/** Batch standardisation with the biased variance, `[N, D] -> [N, D]`. */
function standardize(z: tf.Tensor2D, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(z, 0, true); // biased variance, [1, D]
    return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, eps))) as tf.Tensor2D;
  });
}

/**
 * The cross-correlation matrix `C = zn1^T zn2 / N`, `[D, D]`, of two batches standardised as
 * described in the file header. Exposed for diagnostics (a good run drives C towards I).
 */
export function barlowTwinsCrossCorrelation(z1: tf.Tensor2D, z2: tf.Tensor2D, eps = 1e-5): tf.Tensor2D {
  return tf.tidy(
    () => tf.div(tf.matMul(standardize(z1, eps), standardize(z2, eps), true, false), z1.shape[0]) as tf.Tensor2D,
  );
}

/**
 * Barlow Twins objective: on-diagonal `(1 - C_ii)^2` plus `lambda` times off-diagonal `C_ij^2`.
 * @throws ConfigError for a negative lambda or non-positive eps; ShapeError (at compute) for
 * mismatched shapes or a batch of fewer than 2 rows.
 */
export function barlowTwins(opts: BarlowTwinsOptions = {}): Objective<BarlowTwinsInputs> {
  const lambda = opts.lambda ?? 5.1e-3;
  const eps = opts.eps ?? 1e-5;
  expectNumberOption('barlowTwins.lambda', lambda, 0, true);
  expectNumberOption('barlowTwins.eps', eps, 0);
  return {
    name: 'barlow-twins',
    options: { lambda, eps },
    compute({ z1, z2 }) {
      expectSameRows(z1, z2, 'barlowTwins', 'z1', 'z2', 2);
      return tf.tidy(() => {
        const d = z1.shape[1];
        const c = barlowTwinsCrossCorrelation(z1, z2, eps);
        const eye = tf.eye(d);
        const onDiag = tf.sum(tf.square(tf.sub(tf.mul(c, eye), eye)));
        const offDiag = tf.sum(tf.mul(tf.square(c), tf.sub(1, eye)));
        return tf.add(onDiag, tf.mul(offDiag, lambda)) as tf.Scalar;
      });
    },
  };
}
