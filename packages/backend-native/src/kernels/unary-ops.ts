/**
 * Elementwise unary float32 kernels (Relu, Step, Exp, ...) as one loop in the addon. The cpu
 * kernels' JS loops cost 6-20 ns per element here against about 0.3 ns native; ReLU and its
 * gradient (Step) were 18% of a SimCLR step on the cpu kernels.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

/** The addon's op code for each kernel name. */
export const UNARY_OPS: Readonly<Record<string, number>> = {
  Relu: 0,
  Step: 1,
  Exp: 2,
  Log: 3,
  Sqrt: 4,
  Rsqrt: 5,
  Square: 6,
  Neg: 7,
  Abs: 8,
  Sigmoid: 9,
  Tanh: 10,
  Reciprocal: 11,
  Relu6: 12,
  LeakyRelu: 13,
  Log1p: 14,
  Erf: 15,
};

/** Op code of the clip (bounds passed as alpha and beta). */
const CLIP = 16;

/** A unary kernel for `op` (a code from {@link UNARY_OPS}); non-float32 inputs go to the cpu kernel. */
export function unaryKernel(addon: NativeAddon, op: number, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(args.backend, x);
    if (!xv) return cpu(raw);
    const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
    const out = alloc(args.backend, xv.length);
    if (xv.length > 0) addon.unary(op, xv, out, alpha);
    return output(args.backend, [...x.shape], out);
  };
}

/** The ClipByValue kernel (the vision augmentations clip every view to [0, 1]). */
export function clipByValueKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(args.backend, x);
    if (!xv) return cpu(raw);
    const { clipValueMin, clipValueMax } = args.attrs as { clipValueMin: number; clipValueMax: number };
    const out = alloc(args.backend, xv.length);
    if (xv.length > 0) addon.unary(CLIP, xv, out, clipValueMin, clipValueMax);
    return output(args.backend, [...x.shape], out);
  };
}
