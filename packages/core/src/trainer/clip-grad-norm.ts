import * as tf from '@tensorflow/tfjs';

/** Global L2 norm over all gradients, sqrt(sum of squares of every entry). */
export function globalGradNorm(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.tidy((): tf.Scalar => {
    const squares = [...grads.values()].map((g) => g.square().sum());
    return squares.length === 0 ? tf.scalar(0) : (tf.addN(squares).sqrt() as tf.Scalar);
  });
}

/**
 * Scales every gradient by min(1, maxNorm / (norm + 1e-6)), where `norm` is the global norm
 * (as `torch.nn.utils.clip_grad_norm_`). Returns new tensors (the caller disposes both the
 * inputs and the outputs; unchanged gradients are returned as clones).
 * @param norm the global norm when already known (saves a device read)
 */
export function clipByGlobalNorm(
  grads: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
  norm?: number,
): { grads: Map<string, tf.Tensor>; norm: number } {
  let total = norm;
  if (total === undefined) {
    const n = globalGradNorm(grads);
    total = n.arraySync();
    n.dispose();
  }
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  const out = new Map<string, tf.Tensor>();
  for (const [k, g] of grads) out.set(k, coef < 1 ? tf.mul(g, coef) : g.clone());
  return { grads: out, norm: total };
}
