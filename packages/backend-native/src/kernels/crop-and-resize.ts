/**
 * CropAndResize, bilinear (the random resized crop of every vision view): the same arithmetic
 * as tfjs's cpu kernel (TensorFlow's crop_and_resize, in double precision) in the addon; the
 * cpu kernel's per-element index arithmetic cost 280 ns per output element. `nearest` and
 * non-float32 images go to the cpu kernel.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { allocZeroed, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

export function cropAndResizeKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { image, boxes, boxInd } = args.inputs as Record<string, TensorInfo>;
    const { cropSize, method, extrapolationValue } = args.attrs as {
      cropSize: [number, number];
      method: 'bilinear' | 'nearest';
      extrapolationValue: number;
    };
    const iv = floatValues(args.backend, image);
    const bv = floatValues(args.backend, boxes);
    const ind = args.backend.data.get(boxInd!.dataId).values;
    if (method !== 'bilinear' || !iv || !bv || !(ind instanceof Int32Array) || image!.shape.length !== 4)
      return cpu(raw);
    const [b, h, w, c] = image!.shape as [number, number, number, number];
    const n = boxes!.shape[0] as number;
    // zeros where a box names an image outside the batch (the cpu kernel leaves those as zeros)
    const out = allocZeroed(args.backend, n * cropSize[0] * cropSize[1] * c);
    if (out.length > 0) addon.cropAndResize(iv, bv, ind, out, b, h, w, c, cropSize[0], cropSize[1], extrapolationValue);
    return output(args.backend, [n, cropSize[0], cropSize[1], c], out);
  };
}
