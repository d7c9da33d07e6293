/** Layer normalisation over the last axis (Ba et al., 2016), with learned gain and shift. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { createParam, getParam, type ParamMap } from './params.js';

/** Adds `<name>/gamma` (ones) and `<name>/beta` (zeros), both `[dim]`. */
export function initLayerNorm(params: ParamMap, name: string, dim: number, rng: Rng): void {
  createParam(params, `${name}/gamma`, [dim], { kind: 'ones' }, rng);
  createParam(params, `${name}/beta`, [dim], { kind: 'zeros' }, rng);
}

/** Kernel names a backend may register for a fused layer norm and gradient (@autodidact/backend-native does). */
export const LAYER_NORM_KERNEL = 'AutodidactLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'AutodidactLayerNormGrad';

/**
 * `x` `[..., dim]` normalised to zero mean and unit (biased) variance per row, then scaled and
 * shifted: one differentiable op with the closed-form gradient (xhat = (x - mean) * rstd,
 * g = dy * gamma: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), dgamma = sum dy * xhat,
 * dbeta = sum dy), instead of tfjs differentiating moments op by op. A backend with the fused
 * kernels runs each direction in two passes over the rows.
 */
export function layerNorm(params: ParamMap, name: string, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  const gamma = getParam(params, `${name}/gamma`);
  const beta = getParam(params, `${name}/beta`);
  const backend = tf.getBackend();
  const fused =
    x.dtype === 'float32' &&
    tf.getKernel(LAYER_NORM_KERNEL, backend) !== undefined &&
    tf.getKernel(LAYER_NORM_GRAD_KERNEL, backend) !== undefined;
  const dim = x.shape[x.rank - 1] as number;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    let value: tf.Tensor;
    let mean: tf.Tensor;
    let rstd: tf.Tensor;
    if (fused) {
      [value, mean, rstd] = tf.engine().runKernel(LAYER_NORM_KERNEL, { x: xx, gamma: g, beta: b }, {
        epsilon: eps,
      } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor];
    } else {
      const m = tf.moments(xx, -1, true);
      mean = m.mean;
      rstd = tf.rsqrt(tf.add(m.variance, eps));
      value = tf.add(tf.mul(tf.mul(tf.sub(xx, mean), rstd), g), b);
    }
    save([xx, mean, rstd, g]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sm, sr, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      if (fused) {
        return tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, {
          dy,
          x: sx,
          mean: sm,
          rstd: sr,
          gamma: sg,
        }) as unknown as tf.Tensor[];
      }
      const rows = sx.shape.slice(0, -1).map((_, i) => i);
      const xhat = tf.mul(tf.sub(sx, sm), sr);
      const gy = tf.mul(dy, sg);
      const dx = tf.mul(
        sr,
        tf.sub(tf.sub(gy, tf.mean(gy, -1, true)), tf.mul(xhat, tf.mean(tf.mul(gy, xhat), -1, true))),
      );
      return [dx, tf.sum(tf.mul(dy, xhat), rows), tf.sum(dy, rows)];
    };
    return { value, gradFunc };
  });
  if (x.shape[x.rank - 1] !== gamma.shape[0]) {
    throw new Error(`layerNorm ${name}: input last axis ${dim}, parameters [${gamma.shape}]`);
  }
  return op(x, gamma, beta);
}
