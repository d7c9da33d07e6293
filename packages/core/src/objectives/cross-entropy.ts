import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { expectShape, shapeString } from './check-shapes.js';

/**
 * Mean softmax cross-entropy of `logits` `[N, C]` with the correct class of each row given
 * by `targets` (one index for every row, or one per row): `mean_i (logsumexp_c l_ic - l_i,t_i)`.
 * The log-sum-exp subtracts each row's maximum, so large logits (small temperatures) stay
 * finite; masked entries should be a large finite negative, never -Infinity.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: number | readonly number[]): tf.Scalar {
  expectShape(logits, 'softmaxCrossEntropy: logits', '[rows, classes]', 2);
  const [n, c] = logits.shape;
  const idx = typeof targets === 'number' ? new Array<number>(n).fill(targets) : Array.from(targets);
  if (idx.length !== n) {
    throw new ShapeError(
      `softmaxCrossEntropy: expected ${n} target indices for logits ${shapeString(logits.shape)}, got ${idx.length}`,
    );
  }
  for (const t of idx) {
    if (!Number.isInteger(t) || t < 0 || t >= c) {
      throw new ShapeError(
        `softmaxCrossEntropy: target index ${t} out of range [0, ${c}) for logits ${shapeString(logits.shape)}`,
      );
    }
  }
  return tf.tidy(() => {
    const lse = tf.logSumExp(logits, 1); // [N]
    const oneHot = tf.oneHot(tf.tensor1d(idx, 'int32'), c, 1, 0, 'float32'); // [N, C]
    const picked = tf.sum(tf.mul(logits, oneHot), 1); // [N]
    return tf.mean(tf.sub(lse, picked)) as tf.Scalar;
  });
}
