/**
 * VICReg (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance
 * Regularization for Self-Supervised Learning", eq. 1-6; details as in the authors' code):
 *
 *   s(Z, Z')  = mean((Z - Z')^2)                                   invariance (MSE)
 *   v(Z)      = mean_j max(0, 1 - sqrt(Var(z_j) + eps))            variance hinge, unbiased Var
 *   c(Z)      = sum_{i != j} Cov(Z)_ij^2 / D                       covariance, unbiased Cov
 *   L = simCoeff * s + stdCoeff * (v(Z) + v(Z')) / 2 + covCoeff * (c(Z) + c(Z'))
 *
 * Defaults 25, 25, 1, eps 1e-4 (the paper's). The variance term is 0 once every dimension's
 * std is at least 1, which is what prevents collapse.
 */
import * as tf from '@tensorflow/tfjs';
import { expectNumberOption, expectSameRows } from './check-shapes.js';
import type { Objective } from './objective.js';

/** Options of {@link vicreg}. */
export interface VICRegOptions {
  /** Weight of the invariance (MSE) term; default 25. */
  simCoeff?: number;
  /** Weight of the variance hinge; default 25. */
  stdCoeff?: number;
  /** Weight of the covariance term; default 1. */
  covCoeff?: number;
  /** Added to the variance inside the square root; default 1e-4. */
  eps?: number;
}

/** Inputs of {@link vicreg}: embeddings of two views, `[N, D]` each, N >= 2. */
export interface VICRegInputs {
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
}

/** The three unweighted terms of VICReg (scalars), for logging beside the loss. */
export interface VICRegTerms {
  /** Mean squared difference of the two views. */
  invariance: tf.Scalar;
  /** Variance hinge, averaged over the two branches. */
  variance: tf.Scalar;
  /** Off-diagonal covariance penalty, summed over the two branches. */
  covariance: tf.Scalar;
}

function varianceTerm(z: tf.Tensor2D, eps: number): tf.Scalar {
  const n = z.shape[0];
  const centered = tf.sub(z, tf.mean(z, 0, true));
  const variance = tf.div(tf.sum(tf.square(centered), 0), n - 1); // unbiased, [D]
  return tf.mean(tf.relu(tf.sub(1, tf.sqrt(tf.add(variance, eps))))) as tf.Scalar;
}

function covarianceTerm(z: tf.Tensor2D): tf.Scalar {
  const [n, d] = z.shape;
  const centered = tf.sub(z, tf.mean(z, 0, true)) as tf.Tensor2D;
  const cov = tf.div(tf.matMul(centered, centered, true, false), n - 1); // [D, D]
  return tf.div(tf.sum(tf.mul(tf.square(cov), tf.sub(1, tf.eye(d)))), d) as tf.Scalar;
}

function checkInputs(what: string, z1: tf.Tensor2D, z2: tf.Tensor2D): void {
  expectSameRows(z1, z2, what, 'z1', 'z2', 2);
}

/** The unweighted VICReg terms of two `[N, D]` batches (N >= 2); `eps` as in {@link VICRegOptions}. */
export function vicregTerms(z1: tf.Tensor2D, z2: tf.Tensor2D, eps = 1e-4): VICRegTerms {
  checkInputs('vicregTerms', z1, z2);
  return tf.tidy(() => ({
    invariance: tf.mean(tf.squaredDifference(z1, z2)) as tf.Scalar,
    variance: tf.mul(tf.add(varianceTerm(z1, eps), varianceTerm(z2, eps)), 0.5) as tf.Scalar,
    covariance: tf.add(covarianceTerm(z1), covarianceTerm(z2)) as tf.Scalar,
  }));
}

/**
 * VICReg objective: `simCoeff * invariance + stdCoeff * variance + covCoeff * covariance`.
 * @throws ConfigError for negative coefficients or non-positive eps; ShapeError (at compute)
 * for mismatched shapes or a batch of fewer than 2 rows.
 */
export function vicreg(opts: VICRegOptions = {}): Objective<VICRegInputs> {
  const simCoeff = opts.simCoeff ?? 25;
  const stdCoeff = opts.stdCoeff ?? 25;
  const covCoeff = opts.covCoeff ?? 1;
  const eps = opts.eps ?? 1e-4;
  expectNumberOption('vicreg.simCoeff', simCoeff, 0, true);
  expectNumberOption('vicreg.stdCoeff', stdCoeff, 0, true);
  expectNumberOption('vicreg.covCoeff', covCoeff, 0, true);
  expectNumberOption('vicreg.eps', eps, 0);
  return {
    name: 'vicreg',
    options: { simCoeff, stdCoeff, covCoeff, eps },
    compute({ z1, z2 }) {
      checkInputs('vicreg', z1, z2);
      return tf.tidy(() => {
        const t = vicregTerms(z1, z2, eps);
        return tf.addN([
          tf.mul(t.invariance, simCoeff),
          tf.mul(t.variance, stdCoeff),
          tf.mul(t.covariance, covCoeff),
        ]) as tf.Scalar;
      });
    },
  };
}
