import * as tf from '@tensorflow/tfjs';
import { assertShape } from '../errors.js';
import { normalizeRows } from './alignment.js';

/**
 * Uniformity (Wang & Isola 2020): log of the mean over distinct pairs i < j of
 * exp(-t ||f(x_i) - f(x_j)||²), on L2-normalised embeddings. Lower is more uniform on the
 * sphere; 0 when every embedding is the same point (collapse). Differentiable; does not
 * dispose `z`.
 * @param z embeddings `[n >= 2, dim]`
 */
export function uniformity(z: tf.Tensor2D, t = 2): tf.Scalar {
  assertShape(z.rank === 2 && z.shape[0] >= 2, () => `uniformity expects [n >= 2, dim], got [${z.shape}]`);
  const n = z.shape[0];
  return tf.tidy(() => {
    const u = normalizeRows(z);
    // |a - b|² = 2 - 2 a·b for unit vectors; clamp the rounding below zero.
    const sq = tf.relu(tf.sub(2, tf.mul(2, tf.matMul(u, u, false, true))));
    const offDiagonal = tf.sub(1, tf.eye(n));
    const total = tf.sum(tf.mul(tf.exp(tf.mul(-t, sq)), offDiagonal));
    return tf.log(tf.div(total, n * (n - 1))) as tf.Scalar;
  });
}
