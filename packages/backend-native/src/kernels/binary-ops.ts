/**
 * Broadcasting float32 binary ops (Add, Sub, Multiply, RealDiv, Maximum, Minimum,
 * SquaredDifference, Pow) as strided loops in the addon. tfjs's cpu kernels compute a
 * multi-index per element whenever the shapes differ, which made these the next
 * cost after the convolutions (batch-norm and its gradient broadcast [C] over [B,H,W,C]).
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import {
  alloc,
  collapse,
  floatValues,
  type NativeKernelArgs,
  oneShapePairKernel,
  output,
  sizeOf,
  stridesOf,
  tuning,
} from './kernel-helpers.js';

/** The addon's op code for each kernel name. */
export const BINARY_OPS: Readonly<Record<string, number>> = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
  Pow: 7,
};

/** Element strides of an operand of `shape` read along the broadcast `outShape` (0 where broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((n, d) => {
    const i = d - offset;
    if (i < 0) return 0;
    return shape[i] === 1 && n !== 1 ? 0 : (own[i] as number);
  });
}

/**
 * The strided loop of a broadcasting binary op as the addon reads it: the {@link collapse}d dims
 * of `outShape` and the element strides of `a` and `b` along them.
 */
export function broadcastLoop(
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): [shape: Int32Array, stridesA: Int32Array, stridesB: Int32Array] {
  const c = collapse(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape));
  return [Int32Array.from(c.shape), Int32Array.from(c.strides[0]!), Int32Array.from(c.strides[1]!)];
}

/**
 * An int32 operand next to a float32 one (tf.pow(x, scalar(2, 'int32')), as tf.norm does) as
 * float32 values; the result is float32 either way.
 */
function intAsFloat(args: NativeKernelArgs, t: TensorInfo, other: TensorInfo): Float32Array | undefined {
  if (t.dtype !== 'int32' || other.dtype !== 'float32') return undefined;
  return Float32Array.from(args.backend.data.get(t.dataId).values as Int32Array);
}

/** A binary kernel for `op` (a code from {@link BINARY_OPS}); non-float32 inputs go to the cpu kernel. */
export function binaryKernel(addon: NativeAddon, op: number, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (sizeOf(a.shape) < tuning.smallOutput && sizeOf(b.shape) < tuning.smallOutput) return cpu(raw);
    const av = floatValues(args.backend, a) ?? intAsFloat(args, a, b);
    const bv = floatValues(args.backend, b) ?? intAsFloat(args, b, a);
    if (!av || !bv) return cpu(raw);
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = sizeOf(outShape);
    const out = alloc(args.backend, size);
    if (size > 0) addon.binary(op, av, bv, out, ...broadcastLoop(a.shape, b.shape, outShape));
    return output(args.backend, outShape, out);
  };
}

/** Kernel name of the relu gradient shared with gradients.ts: inputs dy (`a`) and x (`b`), one shape. */
export const RELU_GRAD = 'AutodidactReluGrad';

/** `AutodidactReluGrad`: dy where x > 0, in one pass (tfjs computes mul(dy, step(x)): two passes and a temporary). */
export function reluGradKernel(addon: NativeAddon): KernelFunc {
  return oneShapePairKernel(RELU_GRAD, ['a', 'dy'], ['b', 'x'], (dy, x, out) => {
    const n = Int32Array.of(out.length);
    const one = Int32Array.of(1);
    addon.binary(8, dy, x, out, n, one, one);
  });
}
