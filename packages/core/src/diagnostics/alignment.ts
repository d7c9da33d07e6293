import * as tf from '@tensorflow/tfjs';
import { assertShape } from '../errors.js';

/**
 * Alignment (Wang & Isola 2020, "Understanding Contrastive Representation Learning through
 * Alignment and Uniformity on the Hypersphere"): mean over positive pairs of
 * ||f(x) - f(y)||^alpha, on L2-normalised embeddings. Lower is better aligned; 0 when the
 * two views embed identically. Differentiable (usable as a loss term); does not dispose inputs.
 * @param z1 embeddings of the first views `[n, dim]`
 * @param z2 embeddings of the second views `[n, dim]`, row-aligned with z1
 */
export function alignment(z1: tf.Tensor2D, z2: tf.Tensor2D, alpha = 2): tf.Scalar {
  assertShape(
    z1.rank === 2 && tf.util.arraysEqual(z1.shape, z2.shape),
    () => `alignment expects two [n, dim] tensors of one shape, got [${z1.shape}] and [${z2.shape}]`,
  );
  return tf.tidy(() => {
    const d2 = tf.sum(tf.square(tf.sub(normalizeRows(z1), normalizeRows(z2))), 1);
    return (alpha === 2 ? d2 : tf.pow(d2, alpha / 2)).mean() as tf.Scalar;
  });
}

/** Rows scaled to unit L2 norm (norms clamped at 1e-12, as torch.nn.functional.normalize). */
export function normalizeRows(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(z, tf.maximum(tf.norm(z, 2, 1, true), 1e-12)) as tf.Tensor2D);
}
