/**
 * Fused kernels of the transformer blocks, under names of our own that core's `gelu` and
 * `layerNorm` run when the active backend has them (else they compose the same maths from tfjs
 * ops). tfjs differentiates GELU as erf, exp, square, neg and four products, and layer norm
 * through moments: 15-20 passes over the activation each, memory-bound on [batch, seq, 4 dim]
 * (a third of a masked-LM step). Fused: one pass forward and one backward for GELU, two and two
 * for layer norm.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';
import { normGradKernel, normKernel } from './norm-kernels.js';

/** Kernel names shared with `@autodidact/core` (core/src/nn/activations.ts, layer-norm.ts). */
export const GELU = 'AutodidactGelu';
export const GELU_GRAD = 'AutodidactGeluGrad';
export const LAYER_NORM = 'AutodidactLayerNorm';
export const LAYER_NORM_GRAD = 'AutodidactLayerNormGrad';

function values(args: NativeKernelArgs, t: TensorInfo | undefined, kernel: string): Float32Array {
  const v = floatValues(args.backend, t);
  if (!v) throw new Error(`${kernel}: expected float32 inputs`);
  return v;
}

/** `AutodidactGelu`: input x; output gelu(x). */
export function geluKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = values(args, x, GELU);
    const out = alloc(args.backend, xv.length);
    if (out.length > 0) addon.gelu(xv, out);
    return output(args.backend, [...x.shape], out);
  };
}

/** `AutodidactGeluGrad`: inputs dy, x; output dy * gelu'(x). */
export function geluGradKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
    const xv = values(args, x, GELU_GRAD);
    const out = alloc(args.backend, xv.length);
    if (out.length > 0) addon.gelu(xv, out, values(args, dy, GELU_GRAD));
    return output(args.backend, [...x.shape], out);
  };
}

/** `AutodidactLayerNorm`: inputs x [..., C], gamma, beta [C]; attr epsilon; outputs y, mean and rstd per row. */
export function layerNormKernel(addon: NativeAddon): KernelFunc {
  return normKernel(LAYER_NORM, 'row', addon.layerNorm.bind(addon));
}

/** `AutodidactLayerNormGrad`: inputs dy, x, mean, rstd, gamma; outputs dx, dgamma, dbeta. */
export function layerNormGradKernel(addon: NativeAddon): KernelFunc {
  return normGradKernel(LAYER_NORM_GRAD, 'rstd', (dy, x, mean, rstd, gamma, dx, dgamma, dbeta, cols) =>
    addon.layerNormGrad(dy, x, mean, rstd, gamma, dx, dgamma, dbeta, cols),
  );
}
