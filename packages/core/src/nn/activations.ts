/** Activations of the transformer MLP. */
import * as tf from '@tensorflow/tfjs';

/** Activation name: exact (erf) GELU as BERT/PyTorch's default, or ReLU. */
export type Activation = 'gelu' | 'relu';

/** Kernel names a backend may register for a one-pass GELU and gradient (@autodidact/backend-native does). */
export const GELU_KERNEL = 'AutodidactGelu';
export const GELU_GRAD_KERNEL = 'AutodidactGeluGrad';

/**
 * GELU, exact form `x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))` (Hendrycks & Gimpel, 2016), as one
 * differentiable op with the closed-form gradient `0.5 (1 + erf(x / sqrt 2)) + x phi(x)`,
 * `phi(x) = exp(-x^2 / 2) / sqrt(2 pi)` (what tfjs's erf gradient gives, without its eight passes
 * over the activation). A backend with the fused kernels runs each direction in one pass.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  const backend = tf.getBackend();
  const fused =
    x.dtype === 'float32' &&
    tf.getKernel(GELU_KERNEL, backend) !== undefined &&
    tf.getKernel(GELU_GRAD_KERNEL, backend) !== undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([xx]);
    const value = fused
      ? (tf.engine().runKernel(GELU_KERNEL, { x: xx }) as tf.Tensor)
      : tf.mul(tf.mul(xx, 0.5), tf.add(tf.erf(tf.mul(xx, Math.SQRT1_2)), 1));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx] = saved as [tf.Tensor];
      if (fused) return tf.engine().runKernel(GELU_GRAD_KERNEL, { dy, x: sx }) as tf.Tensor;
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(sx, Math.SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(sx), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return tf.mul(dy, tf.add(cdf, tf.mul(sx, pdf)));
    };
    return { value, gradFunc };
  });
  return op(x);
}

/** Applies the named activation. */
export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  return activation === 'gelu' ? gelu(x) : tf.relu(x);
}
