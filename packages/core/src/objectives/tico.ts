/**
 * TiCo, transformation invariance and covariance contrast (Zhu, Moraes, Karakulak, Sobol,
 * Canziani & LeCun 2022, "TiCo: Transformation Invariance and Covariance Contrast for
 * Self-Supervised Visual Representation Learning", the loss and its PyTorch-style pseudo-code):
 *
 *   B   = Z1^T Z1 / N                             batch second moment of view 1
 *   C_t = beta C_{t-1} + (1 - beta) B             running covariance (gradient flows through B)
 *   L   = -1/N sum_i z1_i . z2_i + rho/N sum_i z1_i^T C_t z1_i
 *
 * over l2-normalised rows z. The first term makes the two views agree (transformation
 * invariance); the second pushes view 1 away from the directions that past batches occupied
 * (covariance contrast). C_{t-1} is state: the method keeps it (zeros at the start) and
 * replaces it after the step with {@link ticoCovarianceUpdate} (C_t, detached). beta = 0.9,
 * rho = 20 (the paper's).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectNumberOption, expectSameRows, expectShape } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Options of {@link tico}. */
export interface TicoOptions {
  /** EMA coefficient of the covariance; default 0.9. */
  beta?: number;
  /** Weight of the covariance contrast; default 20. */
  rho?: number;
}

/** Inputs of {@link tico}. */
export interface TicoInputs {
  /** Projections of view 1 and view 2, `[N, D]` each. */
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
  /** The running covariance C_{t-1}, `[D, D]`; omitted: zeros (the first step). No gradient. */
  covariance?: tf.Tensor2D;
}

function checkBeta(what: string, beta: number): void {
  if (!(Number.isFinite(beta) && beta >= 0 && beta <= 1)) {
    throw new ConfigError(`expected a number in [0, 1], got ${beta}`, { field: what });
  }
}

function checkCovariance(what: string, covariance: tf.Tensor2D | undefined, d: number): void {
  if (covariance !== undefined) expectShape(covariance, `${what}: covariance`, `[${d}, ${d}]`, 2, [d, d]);
}

/** `beta C + (1 - beta) Z^T Z / N` with Z = l2-normalised rows of `z1`; gradient flows through z1. */
function runningCovariance(z1: tf.Tensor2D, previous: tf.Tensor2D | undefined, beta: number): tf.Tensor2D {
  const z = l2NormalizeRows(z1);
  const batch = tf.mul(tf.div(tf.matMul(z, z, true, false), z1.shape[0]), 1 - beta);
  return (previous === undefined ? batch : tf.add(tf.mul(stopGradient(previous), beta), batch)) as tf.Tensor2D;
}

/**
 * The running covariance after this step, `beta * previous + (1 - beta) Z1^T Z1 / N`, `[D, D]`,
 * without gradient (the method stores it for the next step). `previous` omitted: zeros.
 */
export function ticoCovarianceUpdate(z1: tf.Tensor2D, previous?: tf.Tensor2D, beta = 0.9): tf.Tensor2D {
  checkBeta('ticoCovarianceUpdate.beta', beta);
  expectShape(z1, 'ticoCovarianceUpdate: z1', '[N, D]', 2);
  checkCovariance('ticoCovarianceUpdate', previous, z1.shape[1]);
  return tf.tidy(() => stopGradient(runningCovariance(z1, previous, beta)));
}

/**
 * TiCo objective. Inputs `z1`, `z2` `[N, D]`, optional `covariance [D, D]`.
 * @throws ConfigError for beta outside [0, 1] or a negative rho; ShapeError (at compute) for
 * mismatched shapes.
 */
export function tico(opts: TicoOptions = {}): Objective<TicoInputs> {
  const beta = opts.beta ?? 0.9;
  const rho = opts.rho ?? 20;
  checkBeta('tico.beta', beta);
  expectNumberOption('tico.rho', rho, 0, true);
  return {
    name: 'tico',
    options: { beta, rho },
    compute({ z1, z2, covariance }) {
      expectSameRows(z1, z2, 'tico', 'z1', 'z2');
      checkCovariance('tico', covariance, z1.shape[1]);
      return tf.tidy(() => {
        const a = l2NormalizeRows(z1);
        const b = l2NormalizeRows(z2);
        const c = runningCovariance(z1, covariance, beta);
        const invariance = tf.mean(tf.sum(tf.mul(a, b), 1));
        const contrast = tf.mean(tf.sum(tf.mul(tf.matMul(a, c), a), 1));
        return tf.sub(tf.mul(contrast, rho), invariance) as tf.Scalar;
      });
    },
  };
}
