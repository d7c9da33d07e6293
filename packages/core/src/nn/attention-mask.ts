/**
 * Additive attention biases: 0 where a query may look at a key, a large negative number where
 * it may not, so `softmax(scores + bias)` gives masked keys (numerically) zero weight.
 */
import * as tf from '@tensorflow/tfjs';

/** The bias added to the scores of masked positions (finite, so a fully masked row stays finite). */
export const MASKED_SCORE = -1e9;

/** Causal bias `[seq, seq]`: query i sees keys 0..i (GPT). */
export function causalBias(seq: number): tf.Tensor2D {
  return tf.tidy(() => {
    const lower = tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0);
    return tf.mul(tf.sub(1, lower), MASKED_SCORE) as tf.Tensor2D;
  });
}

/**
 * Padding bias `[batch, 1, 1, seq]` from a key mask `[batch, seq]` holding 1 for real tokens
 * and 0 for padding (any dtype); broadcasts over heads and queries.
 */
export function paddingBias(keyMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, s] = keyMask.shape;
    const m = tf.cast(keyMask, 'float32');
    return tf.reshape(tf.mul(tf.sub(1, m), MASKED_SCORE), [b, 1, 1, s]) as tf.Tensor4D;
  });
}
