/**
 * Batch normalisation in training mode (Ioffe & Szegedy 2015) as one differentiable op (what the
 * `batchNorm` layer of a `Net` runs in training).
 *
 * y = (x - mean) / sqrt(var + eps) * gamma + beta, with mean and (biased) var over every axis
 * but the last. Its gradient through the batch statistics, with xhat = (x - mean) / sqrt(var + eps)
 * and n the number of rows:
 *   dbeta = sum dy,  dgamma = sum dy * xhat,
 *   dx = gamma / sqrt(var + eps) * (dy - dbeta / n - xhat * dgamma / n).
 *
 * Why: tf.layers computes training-mode batch norm as `tf.moments` + `tf.batchNorm` and lets the
 * tape differentiate every op of both, about twenty passes over the activation per layer and
 * step (a quarter of a SimCLR step on CPU). As one op with this closed-form gradient it is four
 * passes; a backend that registers the fused kernels (`@autodidact/backend-native` does) runs
 * each direction as one kernel, and any other backend runs the same maths as tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';

/** Kernel names a backend may register for the fused op (@autodidact/backend-native does). */
export const BATCH_NORM_TRAIN_KERNEL = 'AutodidactBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD_KERNEL = 'AutodidactBatchNormTrainGrad';

/** Result of {@link batchNormTraining}: the output and the batch statistics (no gradient through them). */
export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** Batch mean per channel `[C]`. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel `[C]` (what tf.layers feeds its moving variance). */
  variance: tf.Tensor1D;
}

/** Whether the active backend has both fused kernels. */
function fusedAvailable(): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(BATCH_NORM_TRAIN_KERNEL, backend) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAIN_GRAD_KERNEL, backend) !== undefined
  );
}

/**
 * Training-mode batch norm of `x [..., C]` over all axes but the last, with `gamma`, `beta` `[C]`.
 * Differentiable in x, gamma and beta; `mean` and `variance` are returned for the moving
 * averages and must be disposed by the caller (they are kept outside any tidy).
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): BatchNormTrainingResult {
  const c = x.shape[x.rank - 1] as number;
  if (x.rank < 2 || gamma.size !== c || beta.size !== c) {
    throw new Error(`batchNormTraining: x [${x.shape}] needs gamma and beta of [${c}]`);
  }
  const fused = fusedAvailable() && x.dtype === 'float32';
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    let y: tf.Tensor;
    if (fused) {
      const out = tf.engine().runKernel(BATCH_NORM_TRAIN_KERNEL, { x: xx, gamma: g, beta: b }, {
        epsilon,
      } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      [y, mean, variance] = out as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    } else {
      const axes = xx.shape.slice(0, -1).map((_, i) => i);
      const m = tf.moments(xx, axes);
      mean = m.mean as tf.Tensor1D;
      variance = m.variance as tf.Tensor1D;
      y = tf.add(tf.mul(tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, epsilon))), g), b);
    }
    tf.keep(mean);
    tf.keep(variance);
    save([xx, mean, variance, g]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sm, sv, sg] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      if (fused) {
        return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD_KERNEL, { dy, x: sx, mean: sm, variance: sv, gamma: sg }, {
          epsilon,
        } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      }
      const axes = sx.shape.slice(0, -1).map((_, i) => i);
      const n = sx.size / c;
      const inv = tf.rsqrt(tf.add(sv, epsilon));
      const xhat = tf.mul(tf.sub(sx, sm), inv);
      const dbeta = tf.sum(dy, axes);
      const dgamma = tf.sum(tf.mul(dy, xhat), axes);
      const dx = tf.mul(tf.mul(sg, inv), tf.sub(tf.sub(dy, tf.div(dbeta, n)), tf.mul(xhat, tf.div(dgamma, n))));
      return [dx, dgamma, dbeta];
    };
    return { value: y, gradFunc };
  });
  const y = op(x, gamma, beta);
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
