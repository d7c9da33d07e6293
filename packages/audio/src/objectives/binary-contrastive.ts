/**
 * wav2vec's contrastive loss (Schneider, Baevski, Collobert & Auli 2019, eq. 1): logistic
 * regression of the true future latent against each distractor,
 *
 *   L_k = - sum_t [ log sigma(z_{t+k}^T h_k(c_t)) + lambda E_{z~p_n} log sigma(-z^T h_k(c_t)) ]
 *
 * with lambda = the number of distractors, so the expectation becomes their sum. Here averaged
 * over queries. Input: logits `[queries, 1 + negatives]`, positive first.
 */
import * as tf from '@tensorflow/tfjs';

/** Mean over queries of softplus(-positive) + sum of softplus(distractors). */
export function binaryContrastive(logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [n, c] = logits.shape;
    const pos = tf.slice(logits, [0, 0], [n, 1]);
    const neg = tf.slice(logits, [0, 1], [n, c - 1]);
    // softplus(x) = -log sigma(-x), numerically stable in tfjs
    const perQuery = tf.add(tf.squeeze(tf.softplus(tf.neg(pos)), [1]), tf.sum(tf.softplus(neg), 1));
    return tf.mean(perQuery) as tf.Scalar;
  });
}
