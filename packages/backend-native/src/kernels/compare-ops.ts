/**
 * Broadcasting comparisons (Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual) of two
 * float32 or two int32 tensors into bools, as strided loops in the addon. The cpu kernels
 * compute a multi-index per element when the shapes differ: the gradient of `tf.max`
 * (`equal(x, max)` over [rows, cols] against [rows, 1], inside every logSumExp) took 40-770 ms
 * of a step.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { broadcastLoop } from './binary-ops.js';
import { type NativeKernelArgs, sizeOf, tuning } from './kernel-helpers.js';

/** The addon's op code for each kernel name. */
export const COMPARE_OPS: Readonly<Record<string, number>> = {
  Equal: 0,
  NotEqual: 1,
  Greater: 2,
  GreaterEqual: 3,
  Less: 4,
  LessEqual: 5,
};

function typedValues(args: NativeKernelArgs, t: TensorInfo): Float32Array | Int32Array | undefined {
  const v = args.backend.data.get(t.dataId).values;
  if (t.dtype === 'float32' && v instanceof Float32Array) return v;
  if (t.dtype === 'int32' && v instanceof Int32Array) return v;
  return undefined;
}

/** A comparison kernel for `op` (a code from {@link COMPARE_OPS}); other dtypes go to the cpu kernel. */
export function compareKernel(addon: NativeAddon, op: number, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const av = typedValues(args, a);
    const bv = typedValues(args, b);
    if (!av || !bv || a.dtype !== b.dtype || (av.length < tuning.smallOutput && bv.length < tuning.smallOutput))
      return cpu(raw);
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = sizeOf(outShape);
    const out = new Uint8Array(size);
    if (size > 0) addon.compare(op, av, bv, out, ...broadcastLoop(a.shape, b.shape, outShape));
    return args.backend.makeTensorInfo(outShape, 'bool', out);
  };
}
