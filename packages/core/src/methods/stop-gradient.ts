/**
 * Stop-gradient, the `sg(.)` of BYOL (Grill et al. 2020, eq. 2) and SimSiam (Chen & He 2021,
 * eq. 3): identity in the forward pass, zero gradient in the backward pass. tfjs has no
 * `stop_gradient` op, so this is a custom-gradient identity.
 */
import * as tf from '@tensorflow/tfjs';

const stopGradientOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  // A clone (same data, new id) so the tape sees an output distinct from its input.
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * `x` unchanged, with no gradient flowing back into it: gradients of anything computed from
 * the result are zero with respect to `x` (and to whatever produced `x`). Returns a new
 * tensor (shares data with `x`); the caller disposes it (or calls this inside `tf.tidy`).
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}
