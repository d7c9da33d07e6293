/**
 * GatherV2 and UnsortedSegmentSum (the embedding lookup and its gradient) as row copies.
 * tfjs's cpu UnsortedSegmentSum loops over every segment with a full mask-multiply-sum
 * (O(segments x elements): minutes for an 8k vocabulary); these are O(elements).
 */
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, allocZeroed, floatValues, type NativeKernelArgs, output, sizeOf } from './kernel-helpers.js';

function intValues(args: NativeKernelArgs, t: TensorInfo): Int32Array | undefined {
  if (t.dtype !== 'int32') return undefined;
  const v = args.backend.data.get(t.dataId).values;
  return v instanceof Int32Array ? v : undefined;
}

/** The GatherV2 kernel for float32 params, int32 indices and batchDims 0. */
export function gatherKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const xv = floatValues(args.backend, x);
    const iv = intValues(args, indices);
    if (!xv || !iv || (batchDims ?? 0) !== 0) return cpu(raw);
    const ax = util.parseAxisParam(axis, x.shape)[0] as number;
    const n = x.shape[ax] as number;
    const outer = sizeOf(x.shape.slice(0, ax));
    const inner = sizeOf(x.shape.slice(ax + 1));
    for (const i of iv) if (i < 0 || i >= n) return cpu(raw); // the cpu kernel raises tfjs's own error
    const out = alloc(args.backend, outer * iv.length * inner);
    if (out.length > 0) addon.gatherRows(xv, iv, out, outer, n, inner);
    return output(args.backend, [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], out);
  };
}

/** The UnsortedSegmentSum kernel for float32 data and int32 segment ids; ids outside [0, numSegments) are dropped as in tfjs. */
export function unsortedSegmentSumKernel(cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as { numSegments: number };
    const xv = floatValues(args.backend, x);
    const ids = intValues(args, segmentIds);
    if (!xv || !ids) return cpu(raw);
    const inner = sizeOf(x.shape.slice(segmentIds.shape.length));
    const out = allocZeroed(args.backend, numSegments * inner);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i] as number;
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner;
      const dst = s * inner;
      for (let k = 0; k < inner; k++) out[dst + k] = (out[dst + k] as number) + (xv[src + k] as number);
    }
    return output(args.backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)], out);
  };
}
