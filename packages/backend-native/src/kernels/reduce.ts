/**
 * Sum and Mean over any axes of float32 tensors without tfjs's transpose-then-reduce
 * (its generic transpose is a per-element index computation). Transpose itself is
 * a strided copy in the addon.
 */
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import {
  alloc,
  collapse,
  floatValues,
  type NativeKernelArgs,
  output,
  sizeOf,
  stridedTensor,
  stridesOf,
  tuning,
} from './kernel-helpers.js';

function reduceSum(addon: NativeAddon, args: NativeKernelArgs, mean: boolean): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const xv = floatValues(args.backend, x);
  if (!xv || xv.length < tuning.smallOutput) return undefined;
  const axes = util.parseAxisParam(axis, x.shape);
  const kept = x.shape.map((n, d) => (axes.includes(d) ? 1 : n));
  const keptStrides = stridesOf(kept);
  const stridesOut = x.shape.map((_, d) => (axes.includes(d) ? 0 : (keptStrides[d] as number)));
  const out = alloc(args.backend, sizeOf(kept));
  const c = collapse(x.shape, stridesOut);
  const [rows, cols] = c.shape;
  const [s0, s1] = c.strides[0]!;
  if (c.shape.length === 2 && s0 === 0 && s1 === 1) {
    // a leading-axis reduction (bias gradients, batch statistics): vectorised column sums
    addon.sumRows(xv, out, rows as number, cols as number);
  } else if (sizeOf(x.shape) > 0) {
    addon.reduceSum(xv, out, Int32Array.from(c.shape), Int32Array.from(c.strides[0]!));
  } else {
    out.fill(0);
  }
  if (mean) {
    const count = sizeOf(axes.map((d) => x.shape[d] as number));
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / count;
  }
  const shape = keepDims ? kept : x.shape.filter((_, d) => !axes.includes(d));
  return output(args.backend, shape, out);
}

/** The Sum kernel (float32 native; int sums go to the cpu kernel). */
export function sumKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => reduceSum(addon, raw as unknown as NativeKernelArgs, false) ?? cpu(raw);
}

/** The Mean kernel. */
export function meanKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => reduceSum(addon, raw as unknown as NativeKernelArgs, true) ?? cpu(raw);
}

/** The Transpose kernel. */
export function transposeKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as { perm: number[] };
    const xv = floatValues(args.backend, x);
    if (!xv || xv.length < tuning.smallOutput) return cpu(raw);
    const own = stridesOf(x.shape);
    const shape = perm.map((p) => x.shape[p] as number);
    return stridedTensor(
      addon,
      args.backend,
      xv,
      shape,
      perm.map((p) => own[p] as number),
    );
  };
}

/**
 * The Tile kernel when it is a broadcast (every dim either repeated once or of size 1, as
 * tf.broadcastTo produces): one strided copy with stride 0 on the repeated dims.
 */
export function tileKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as { reps: number[] };
    const xv = floatValues(args.backend, x);
    if (!xv || reps.length !== x.shape.length || reps.some((r, d) => r !== 1 && x.shape[d] !== 1)) return cpu(raw);
    const own = stridesOf(x.shape);
    const shape = x.shape.map((n, d) => n * (reps[d] as number));
    return stridedTensor(
      addon,
      args.backend,
      xv,
      shape,
      x.shape.map((n, d) => (n === 1 ? 0 : (own[d] as number))),
    );
  };
}

/** Reduced axes as [outer, reduce, inner] when they are one contiguous run, else undefined. */
function contiguousAxes(shape: readonly number[], axes: number[]): [number, number, number] | undefined {
  const sorted = [...axes].sort((a, b) => a - b);
  const first = sorted[0] as number;
  if (sorted.some((a, i) => a !== first + i)) return undefined;
  const last = first + sorted.length;
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last)), sizeOf(shape.slice(last))];
}

/** The Max (or Min) kernel over one contiguous run of axes; NaN propagates as in the cpu kernel. */
export function maxKernel(addon: NativeAddon, cpu: KernelFunc, isMin = false): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    // Max names its axes `reductionIndices`, Min `axis`
    const attrs = args.attrs as { reductionIndices?: number | number[]; axis?: number | number[]; keepDims: boolean };
    const keepDims = attrs.keepDims;
    const xv = floatValues(args.backend, x);
    const axes = util.parseAxisParam((isMin ? attrs.axis : attrs.reductionIndices) as number | number[], x.shape);
    const geo = contiguousAxes(x.shape, axes);
    if (!xv || !geo || geo[1] === 0) return cpu(raw);
    const [outer, reduce, inner] = geo;
    const out = alloc(args.backend, outer * inner);
    if (out.length > 0) addon.reduceMax(xv, out, outer, reduce, inner, isMin);
    const shape = keepDims
      ? x.shape.map((n, d) => (axes.includes(d) ? 1 : n))
      : x.shape.filter((_, d) => !axes.includes(d));
    return output(args.backend, shape, out);
  };
}

/** The ArgMax (or ArgMin) kernel over the last axis (other axes go to the cpu kernel). */
export function argMaxKernel(addon: NativeAddon, cpu: KernelFunc, isMin = false): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis } = args.attrs as { axis: number };
    const xv = floatValues(args.backend, x);
    const last = x.shape.length - 1;
    const ax = util.parseAxisParam(axis, x.shape)[0];
    const cols = x.shape[last] ?? 0;
    if (!xv || last < 0 || ax !== last || cols === 0) return cpu(raw);
    const rows = xv.length / cols;
    const out = new Int32Array(rows);
    if (rows > 0) addon.argMaxLast(xv, out, rows, cols, isMin);
    return args.backend.makeTensorInfo(x.shape.slice(0, last), 'int32', out);
  };
}
