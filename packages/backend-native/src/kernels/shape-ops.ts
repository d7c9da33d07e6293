/**
 * Copies that tfjs's cpu backend does per element through index arithmetic: Slice (strided
 * case), SplitV (its cpu kernel calls that slice directly), Concat, OneHot; and Softmax over
 * the last dim. In a masked-LM step SplitV and Softmax were 78% of kernel time at about
 * 1 µs per element.
 */
import { backend_util, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import {
  alloc,
  collapse,
  floatValues,
  type NativeKernelArgs,
  oneShapePairKernel,
  output,
  sizeOf,
  stridedTensor,
  stridesOf,
} from './kernel-helpers.js';

/** x[begin : begin + size] as a new tensor (strided copy); undefined when not float32. */
function sliceCopy(
  addon: NativeAddon,
  args: NativeKernelArgs,
  x: TensorInfo,
  begin: number[],
  size: number[],
): TensorInfo | undefined {
  const xv = floatValues(args.backend, x);
  if (!xv) return undefined;
  const own = stridesOf(x.shape);
  const offset = begin.reduce((o, b, d) => o + b * (own[d] as number), 0);
  return stridedTensor(addon, args.backend, xv.subarray(offset), size, own);
}

/** The Slice kernel: contiguous slices stay views (the cpu kernel), strided ones are native copies. */
export function sliceKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin, size] = parseSlice(x, attrs.begin, attrs.size);
    if (backend_util.slice_util.isSliceContinous(x.shape, begin, size)) return cpu(raw);
    return sliceCopy(addon, args, x, begin, size) ?? cpu(raw);
  };
}

function parseSlice(x: TensorInfo, begin: number | number[], size: number | number[]): [number[], number[]] {
  const [b, s] = backend_util.slice_util.parseSliceParams(x as never, begin, size);
  backend_util.slice_util.assertParamsValid(x as never, b, s);
  return [b, s];
}

/** The SplitV kernel: one strided copy per piece. */
export function splitVKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    if (x.dtype !== 'float32') return cpu(raw);
    const ax = util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
    const begin = x.shape.map(() => 0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[ax] = n;
      const piece = sliceCopy(addon, args, x, begin, size) as TensorInfo;
      begin[ax] = (begin[ax] as number) + n;
      return piece;
    });
  };
}

/** The Concat kernel for float32 inputs: row copies into the output. */
export function concatKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const inputs = (args.inputs as unknown as TensorInfo[]).filter((t) => sizeOf(t.shape) > 0);
    const { axis } = args.attrs as { axis: number };
    const first = inputs[0];
    if (!first || inputs.length < 2) return cpu(raw);
    const values = inputs.map((t) => floatValues(args.backend, t));
    if (values.some((v) => !v)) return cpu(raw);
    const ax = util.parseAxisParam(axis, first.shape)[0] as number;
    const outShape = backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      ax,
    );
    const outer = sizeOf(outShape.slice(0, ax));
    const rows = inputs.map((t) => sizeOf(t.shape.slice(ax)));
    const outRow = rows.reduce((a, b) => a + b, 0);
    const out = alloc(args.backend, outer * outRow);
    let col = 0;
    inputs.forEach((_, i) => {
      const v = values[i] as Float32Array;
      const n = rows[i] as number;
      // each input is a block of `n` columns of the [outer, outRow] output
      const c = collapse([outer, n], [n, 1], [outRow, 1]);
      addon.scatterCopy(
        v,
        out.subarray(col),
        Int32Array.from(c.shape),
        Int32Array.from(c.strides[0]!),
        Int32Array.from(c.strides[1]!),
      );
      col += n;
    });
    return output(args.backend, outShape, out);
  };
}

/** The PadV2 kernel (constant padding, e.g. ResNet's zero-padding layers): a fill, then one strided copy. */
export function padKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const { paddings, constantValue } = args.attrs as { paddings: [number, number][]; constantValue: number };
    const xv = floatValues(args.backend, x);
    if (!xv || paddings.length !== x.shape.length || paddings.some(([a, b]) => a < 0 || b < 0)) return cpu(raw);
    const outShape = x.shape.map((n, d) => (paddings[d]![0] as number) + n + (paddings[d]![1] as number));
    const out = alloc(args.backend, sizeOf(outShape));
    out.fill(constantValue);
    if (xv.length > 0) {
      const os = stridesOf(outShape);
      const offset = paddings.reduce((o, [before], d) => o + before * (os[d] as number), 0);
      const c = collapse(x.shape, stridesOf(x.shape), os);
      addon.scatterCopy(
        xv,
        out.subarray(offset),
        Int32Array.from(c.shape),
        Int32Array.from(c.strides[0]!),
        Int32Array.from(c.strides[1]!),
      );
    }
    return output(args.backend, outShape, out);
  };
}

export function oneHotKernel(cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { indices } = args.inputs as { indices: TensorInfo };
    const { dtype, depth, onValue, offValue } = args.attrs as {
      dtype: string;
      depth: number;
      onValue: number;
      offValue: number;
    };
    if (dtype !== 'float32') return cpu(raw);
    const ids = args.backend.data.get(indices.dataId).values as ArrayLike<number>;
    const n = sizeOf(indices.shape);
    const out = alloc(args.backend, n * depth);
    out.fill(offValue);
    for (let i = 0; i < n; i++) {
      const k = ids[i] as number;
      if (k >= 0 && k < depth) out[i * depth + k] = onValue;
    }
    return output(args.backend, [...indices.shape, depth], out);
  };
}

/** The Softmax kernel over the last dim (float32); other dims go to the cpu kernel. */
export function softmaxKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { logits } = args.inputs as { logits: TensorInfo };
    const { dim } = args.attrs as { dim: number };
    const xv = floatValues(args.backend, logits);
    const last = logits.shape.length - 1;
    if (!xv || last < 0 || (dim !== -1 && dim !== last)) return cpu(raw);
    const cols = logits.shape[last] as number;
    const out = alloc(args.backend, xv.length);
    if (xv.length > 0) addon.softmax(xv, out, xv.length / cols, cols);
    return output(args.backend, [...logits.shape], out);
  };
}

/** Kernel name of the softmax gradient (gradients.ts): inputs y (the softmax) and dy, one shape. */
export const SOFTMAX_GRAD = 'AutodidactSoftmaxGrad';

/** `AutodidactSoftmaxGrad`: dx = y * (dy - sum(dy * y)) over the last axis. */
export function softmaxGradKernel(addon: NativeAddon): KernelFunc {
  return oneShapePairKernel(SOFTMAX_GRAD, ['y', 'y'], ['dy', 'dy'], (y, dy, out, shape) => {
    const cols = shape[shape.length - 1] ?? 1;
    addon.softmaxGrad(y, dy, out, y.length / cols, cols);
  });
}
