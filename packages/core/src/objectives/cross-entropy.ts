import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { expectShape, shapeString } from './check-shapes.js';

/** Kernel names a backend may register for a one-pass forward and gradient (@autodidact/backend-native does). */
export const SOFTMAX_CROSS_ENTROPY_KERNEL = 'AutodidactSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL = 'AutodidactSoftmaxCrossEntropyGrad';

function fusedAvailable(): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(SOFTMAX_CROSS_ENTROPY_KERNEL, backend) !== undefined &&
    tf.getKernel(SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, backend) !== undefined
  );
}

/**
 * Mean softmax cross-entropy of `logits` `[N, C]` with the correct class of each row given
 * by `targets` (one index for every row, or one per row): `mean_i (logsumexp_c l_ic - l_i,t_i)`.
 * The log-sum-exp subtracts each row's maximum, so large logits (small temperatures) stay
 * finite; masked entries should be a large finite negative, never -Infinity.
 *
 * One differentiable op with the closed-form gradient `(softmax(l) - onehot(t)) / N`; a backend
 * that registers the fused kernels runs each direction in one pass (else tfjs ops compute the
 * same). tfjs's own differentiation of log-sum-exp and the one-hot product went through max,
 * equal, exp, sum and log over the full matrix several times (up to a third of a step).
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
  const fused = fusedAvailable() && logits.dtype === 'float32';
  return tf.tidy(() => {
    const t = tf.tensor1d(idx, 'int32');
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
      let value: tf.Scalar;
      if (fused) {
        const [losses, probs] = tf
          .engine()
          .runKernel(SOFTMAX_CROSS_ENTROPY_KERNEL, { logits: x, targets: t }, {}) as unknown as tf.Tensor[];
        value = tf.mean(losses as tf.Tensor) as tf.Scalar;
        save([probs as tf.Tensor, t]);
      } else {
        const lse = tf.logSumExp(x, 1); // [N]
        const picked = tf.sum(tf.mul(x, tf.oneHot(t, c, 1, 0, 'float32')), 1); // [N]
        value = tf.mean(tf.sub(lse, picked)) as tf.Scalar;
        save([tf.softmax(x), t]);
      }
      // d mean_i(lse_i - x_i,t_i) / dx = (softmax(x) - onehot(t)) / N
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [probs, st] = saved as [tf.Tensor2D, tf.Tensor1D];
        const dloss = tf.fill([n], 1 / n).mul(dy) as tf.Tensor1D; // [N]
        if (fused) {
          return tf
            .engine()
            .runKernel(SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, { probs, targets: st, dloss }, {}) as tf.Tensor;
        }
        return tf.mul(tf.sub(probs, tf.oneHot(st, c, 1, 0, 'float32')), tf.expandDims(dloss, 1));
      };
      return { value, gradFunc };
    });
    return op(logits) as tf.Scalar;
  });
}
