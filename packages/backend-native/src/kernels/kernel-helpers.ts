/** Small helpers shared by the native kernels: reading a tensor's values, making outputs, delegating. */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from '../addon.js';

/** A kernel's arguments as tfjs passes them to the native backend (a MathBackendCPU). */
export interface NativeKernelArgs {
  inputs: NamedTensorInfoMap;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/**
 * Tuning of the kernel wrappers. `smallOutput`: elementwise ops, reductions and transposes on
 * fewer elements than this run the cpu kernel, whose JavaScript loop costs less than preparing
 * the native call (measured 3 us against 10 us per call on 64 elements). Tests set it to 0 so
 * they exercise the native code on small tensors.
 */
export const tuning = { smallOutput: 1024 };

/** Builds a kernel from the cpu kernel it replaces: returns `native(args)` or, when that declines (undefined), the cpu result. */
export type KernelFactory = (cpu: KernelFunc) => KernelFunc;

/**
 * The float32 values of a tensor held by the cpu backend, or undefined for other dtypes. A
 * float32 tensor can hold an Int32Array (the cpu Cast from int32 relabels without copying);
 * such values are converted.
 */
export function floatValues(backend: MathBackendCPU, t: TensorInfo | undefined): Float32Array | undefined {
  if (t?.dtype !== 'float32') return undefined;
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  return v instanceof Int32Array || v instanceof Uint8Array ? Float32Array.from(v) : undefined;
}

/** Output memory for a kernel: recycled when the backend pools buffers (contents arbitrary: overwrite all). */
export function alloc(backend: MathBackendCPU, length: number): Float32Array {
  const pool = (backend as { pool?: { take(n: number): Float32Array } }).pool;
  return pool ? pool.take(length) : new Float32Array(length);
}

/** Zero-filled output memory (for kernels that accumulate). */
export function allocZeroed(backend: MathBackendCPU, length: number): Float32Array {
  const out = alloc(backend, length);
  out.fill(0);
  return out;
}

/**
 * A kernel over two float32 inputs of one shape (a gradient's `dy` and what it multiplies) with
 * one output of that shape. `first` and `second` are each input's key in the kernel's inputs and
 * its name in messages; `compute` fills `out` (called only when it has elements).
 * The kernel throws, naming itself and both inputs, when either is not float32 or their lengths differ.
 */
export function oneShapePairKernel(
  kernel: string,
  first: readonly [key: string, name: string],
  second: readonly [key: string, name: string],
  compute: (a: Float32Array, b: Float32Array, out: Float32Array, shape: readonly number[]) => void,
): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const ta = args.inputs[first[0]] as TensorInfo;
    const a = floatValues(args.backend, ta);
    const b = floatValues(args.backend, args.inputs[second[0]]);
    if (!a || !b || a.length !== b.length)
      throw new Error(`${kernel}: expected float32 ${first[1]} and ${second[1]} of one shape`);
    const out = alloc(args.backend, a.length);
    if (out.length > 0) compute(a, b, out, ta.shape);
    return output(args.backend, [...ta.shape], out);
  };
}

/** Registers `values` as a new float32 tensor of `shape` on the backend. */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** Row-major element strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** Product of the dims. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Drops size-1 dims and merges neighbours that are contiguous in every operand,
 * so the native loops walk as few, as long rows as possible.
 */
export function collapse(shape: readonly number[], ...strides: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d] as number;
    if (n === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => (outStrides[k]![last] as number) === (s[d] as number) * n);
    if (mergeable) {
      outShape[last] = (outShape[last] as number) * n;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[d] as number;
      });
    } else {
      outShape.push(n);
      for (const [k, s] of strides.entries()) outStrides[k]!.push(s[d] as number);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Fills `out` with `x` read along `shape` at element strides `strides` (0 repeats a value), as one
 * addon strided copy over the {@link collapse}d dims; nothing for an empty output.
 */
export function stridedCopy(
  addon: NativeAddon,
  x: Float32Array,
  out: Float32Array,
  shape: readonly number[],
  strides: number[],
): void {
  if (out.length === 0) return;
  const c = collapse(shape, strides);
  addon.stridedCopy(x, out, Int32Array.from(c.shape), Int32Array.from(c.strides[0]!));
}

/**
 * A new float32 tensor of `shape` copied from `x` read at per-dim element `strides`: a permuted,
 * broadcast (stride 0) or sliced view of `x` made contiguous.
 */
export function stridedTensor(
  addon: NativeAddon,
  backend: MathBackendCPU,
  x: Float32Array,
  shape: number[],
  strides: number[],
): TensorInfo {
  const out = alloc(backend, sizeOf(shape));
  stridedCopy(addon, x, out, shape, strides);
  return output(backend, shape, out);
}
