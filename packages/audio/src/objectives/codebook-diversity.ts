/**
 * wav2vec 2.0's codebook diversity loss (Baevski et al. 2020, eq. 4): the negative entropy of
 * the average codebook-entry distribution of each group, scaled by 1/(G V),
 *
 *   L_d = 1/(G V) sum_g sum_v pbar_{g,v} log pbar_{g,v},
 *
 * minimised when every entry of every codebook is used equally often across the batch.
 */
import * as tf from '@tensorflow/tfjs';

/** L_d of average softmax probabilities `[groups, entries]`. */
export function codebookDiversity(meanProbs: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [g, v] = meanProbs.shape;
    const p = tf.maximum(meanProbs, 1e-9);
    return tf.div(tf.sum(tf.mul(meanProbs, tf.log(p))), g * v) as tf.Scalar;
  });
}
