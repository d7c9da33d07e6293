import * as tf from '@tensorflow/tfjs';

/**
 * Rows scaled to unit L2 norm: `x / max(|x|, eps)`, `[batch, dim] -> [batch, dim]`.
 * The norm is `sqrt(max(sum x^2, eps^2))`, so a zero row gives zeros and a finite gradient
 * (sqrt's gradient at 0 would be infinite).
 */
export function l2NormalizeRows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), eps * eps)); // [batch, 1]
    return tf.div(x, norm) as tf.Tensor2D;
  });
}

/** Cosine similarity of corresponding rows, `[batch, dim] x [batch, dim] -> [batch]`. */
export function rowCosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(l2NormalizeRows(a), l2NormalizeRows(b)), 1) as tf.Tensor1D);
}
