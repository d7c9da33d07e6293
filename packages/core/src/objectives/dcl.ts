/**
 * Decoupled contrastive learning (Yeh, Hong, Hsu, Liu, Chen & LeCun 2022, "Decoupled
 * Contrastive Learning", the DCL loss and its weighted variant DCLW; details as in the public
 * implementation that lightly builds on, raminnakhli/Decoupled-Contrastive-Learning loss/dcl.py):
 *
 *   L_i = -w_i sim(z_i, z'_i) / T + log sum_{j != i} [ exp(sim(z_i, z_j) / T) + exp(sim(z_i, z'_j) / T) ]
 *
 * NT-Xent with the positive removed from the denominator: each anchor has 2N - 2 negatives
 * (the other samples in both views). sim = cosine similarity; the loss is the mean over all 2N
 * anchors (both views in turn). DCL has w_i = 1; DCLW weights the positive with the negative
 * von Mises-Fisher weight
 *
 *   w_i = 2 - N exp(sim(z_i, z'_i) / sigma) / sum_k exp(sim(z_k, z'_k) / sigma)
 *
 * (mean 1 over the batch; easy positives weigh less). T = 0.1, sigma = 0.5.
 * Stability: log-sum-exp with the row maximum subtracted; the excluded entries are masked with
 * a large finite negative (-1e9), never -Infinity.
 */
import * as tf from '@tensorflow/tfjs';
import { expectSameRows, numberOption } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Options of {@link dcl}. */
export interface DclOptions {
  /** Temperature T; default 0.1. */
  temperature?: number;
}

/** Options of {@link dclw}. */
export interface DclwOptions extends DclOptions {
  /** Width sigma of the von Mises-Fisher weighting; default 0.5. */
  sigma?: number;
}

/** Inputs of {@link dcl} and {@link dclw}: projections of two views, `[N, D]` each, N >= 2. */
export interface DclInputs {
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
}

const MASK_VALUE = -1e9;

/** Mean over anchors `a` of `-w sim(a, b)/T + log sum_{j != i} [e^{sim(a_i, a_j)/T} + e^{sim(a_i, b_j)/T}]`. */
function oneWay(a: tf.Tensor2D, b: tf.Tensor2D, temperature: number, weights: tf.Tensor1D | null): tf.Scalar {
  const n = a.shape[0];
  const mask = tf.mul(tf.eye(n), MASK_VALUE);
  const within = tf.add(tf.div(tf.matMul(a, a, false, true), temperature), mask);
  const across = tf.add(tf.div(tf.matMul(a, b, false, true), temperature), mask);
  const negative = tf.logSumExp(tf.concat([within, across], 1), 1); // [N]
  let positive = tf.div(tf.sum(tf.mul(a, b), 1), temperature); // [N]
  if (weights !== null) positive = tf.mul(positive, weights);
  return tf.mean(tf.sub(negative, positive)) as tf.Scalar;
}

function make(name: string, temperature: number, sigma: number | null): Objective<DclInputs> {
  return {
    name,
    options: sigma === null ? { temperature } : { temperature, sigma },
    compute({ z1, z2 }) {
      expectSameRows(z1, z2, name, 'z1', 'z2', 2);
      return tf.tidy(() => {
        const a = l2NormalizeRows(z1);
        const b = l2NormalizeRows(z2);
        const weights =
          sigma === null
            ? null
            : (tf.sub(2, tf.mul(z1.shape[0], tf.softmax(tf.div(tf.sum(tf.mul(a, b), 1), sigma)))) as tf.Tensor1D);
        return tf.mul(tf.add(oneWay(a, b, temperature, weights), oneWay(b, a, temperature, weights)), 0.5) as tf.Scalar;
      });
    },
  };
}

/**
 * DCL objective: NT-Xent without the positive in the denominator.
 * @throws ConfigError for a non-positive temperature; ShapeError (at compute) for mismatched
 * shapes or fewer than 2 rows.
 */
export function dcl(opts: DclOptions = {}): Objective<DclInputs> {
  const temperature = numberOption('dcl.temperature', opts.temperature, 0.1);
  return make('dcl', temperature, null);
}

/**
 * DCLW objective: DCL with the positive weighted by the negative von Mises-Fisher weight.
 * @throws ConfigError for a non-positive temperature or sigma; ShapeError as {@link dcl}.
 */
export function dclw(opts: DclwOptions = {}): Objective<DclInputs> {
  const temperature = numberOption('dclw.temperature', opts.temperature, 0.1);
  const sigma = numberOption('dclw.sigma', opts.sigma, 0.5);
  return make('dclw', temperature, sigma);
}
