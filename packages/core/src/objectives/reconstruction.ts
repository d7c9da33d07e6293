/**
 * Reconstruction loss for autoencoders, including denoising autoencoders (Vincent et al.
 * 2008, "Extracting and composing robust features with denoising autoencoders", eq. 2-3):
 * the method corrupts the input, the objective compares the reconstruction with the clean
 * target, so the same objective serves both.
 *
 * - `mse`: `mean((prediction - target)^2)` over all elements.
 * - `bce`: binary cross-entropy with `prediction` as logits,
 *   `mean(-[t log s(x) + (1 - t) log(1 - s(x))])`, computed in the stable form
 *   `max(x, 0) - x t + log(1 + exp(-|x|))` (no overflow for large |x|), with the exact
 *   gradients `d/dx = s(x) - t`, `d/dt = -x`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { expectSameShape } from './check-shapes.js';
import type { Objective } from './objective.js';

/** Options of {@link reconstruction}. */
export interface ReconstructionOptions {
  /** `mse` (default) for real-valued targets, `bce` for targets in [0, 1] with logits as prediction. */
  kind?: 'mse' | 'bce';
}

/** Inputs of {@link reconstruction}: any shape, both the same. */
export interface ReconstructionInputs {
  /** Reconstruction (`bce`: logits, before the sigmoid). */
  prediction: tf.Tensor;
  /** The clean input, values in [0, 1] for `bce`. */
  target: tf.Tensor;
}

// Stable BCE-with-logits, mean over all elements, with an exact analytic gradient
// (composing abs/relu would give the wrong subgradient at x = 0).
const bceWithLogitsMean = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, t, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, t]);
  const value = tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))) as tf.Scalar;
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [xs, ts] = saved as [tf.Tensor, tf.Tensor];
    const scale = tf.div(dy, xs.size);
    return [tf.mul(tf.sub(tf.sigmoid(xs), ts), scale), tf.mul(tf.neg(xs), scale)];
  };
  return { value, gradFunc };
});

/**
 * Reconstruction objective (MSE, or BCE on logits); mean over all elements.
 * @throws ConfigError for an unknown `kind`; ShapeError (at compute) when shapes differ.
 */
export function reconstruction(opts: ReconstructionOptions = {}): Objective<ReconstructionInputs> {
  const kind = opts.kind ?? 'mse';
  if (kind !== 'mse' && kind !== 'bce') {
    throw new ConfigError(`expected 'mse' or 'bce', got ${JSON.stringify(kind)}`, { field: 'reconstruction.kind' });
  }
  return {
    name: 'reconstruction',
    options: { kind },
    compute({ prediction, target }) {
      expectSameShape(prediction, target, 'reconstruction', 'prediction', 'target');
      if (kind === 'bce') return bceWithLogitsMean(prediction, target) as tf.Scalar;
      return tf.tidy(() => tf.mean(tf.squaredDifference(prediction, target)) as tf.Scalar);
    },
  };
}
