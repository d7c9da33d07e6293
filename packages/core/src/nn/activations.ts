/** Activations of the transformer MLP. */
import * as tf from '@tensorflow/tfjs';

/** Activation name: exact (erf) GELU as BERT/PyTorch's default, or ReLU. */
export type Activation = 'gelu' | 'relu';

/** GELU, exact form `x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))` (Hendrycks & Gimpel, 2016). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}

/** Applies the named activation. */
export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  return activation === 'gelu' ? gelu(x) : tf.relu(x);
}
