/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter in NHWC on the addon
 * (im2col + sgemm; a 1x1 stride-1 conv is a plain GEMM). NCHW, non-float32 inputs and
 * unknown fused activations go to the cpu kernels.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { applyBiasActivation, knownActivation } from './fused-activation.js';
import { alloc, floatValues, type NativeKernelArgs, output, sizeOf } from './kernel-helpers.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The addon's geometry arguments, in order: B, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, padTop, padLeft. */
export function geometry(info: backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

function convInfo(xShape: number[], filterShape: number[], a: ConvAttrs, dilations: number | [number, number]) {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function nativeConv(addon: NativeAddon, args: NativeKernelArgs, x: TensorInfo, filter: TensorInfo, a: ConvAttrs) {
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const xv = floatValues(args.backend, x);
  const wv = floatValues(args.backend, filter);
  if (!xv || !wv || x.shape.length !== 4) return undefined;
  const info = convInfo(x.shape, filter.shape, a, a.dilations ?? 1);
  const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const out = alloc(args.backend, sizeOf(outShape));
  if (out.length > 0) addon.conv2d(xv, wv, out, ...geometry(info));
  return output(args.backend, outShape, out);
}

/** The Conv2D kernel. */
export function conv2dKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    return nativeConv(addon, args, x, filter, args.attrs as unknown as ConvAttrs) ?? cpu(raw);
  };
}

/** The FusedConv2D kernel: native conv, then bias and activation. */
export function fusedConv2dKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs & { activation?: string; leakyreluAlpha?: number };
    if (!knownActivation(attrs.activation)) return cpu(raw);
    const conv = nativeConv(addon, args, x as TensorInfo, filter as TensorInfo, attrs);
    if (!conv) return cpu(raw);
    return applyBiasActivation(args, conv, bias, attrs.activation, preluActivationWeights, attrs.leakyreluAlpha);
  };
}

/** The Conv2DBackpropInput kernel (gradient of Conv2D with respect to its input). */
export function conv2dBackpropInputKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    const dyv = floatValues(args.backend, dy);
    const wv = floatValues(args.backend, filter);
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || !dyv || !wv) return cpu(raw);
    const info = convInfo(attrs.inputShape, filter.shape, attrs, attrs.dilations ?? 1);
    const dx = alloc(args.backend, sizeOf(attrs.inputShape));
    if (dx.length > 0) addon.conv2dBackpropInput(dyv, wv, dx, ...geometry(info));
    return output(args.backend, [...attrs.inputShape], dx);
  };
}

/** The Conv2DBackpropFilter kernel (gradient of Conv2D with respect to its filter). */
export function conv2dBackpropFilterKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    const xv = floatValues(args.backend, x);
    const dyv = floatValues(args.backend, dy);
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || !xv || !dyv) return cpu(raw);
    const info = convInfo(x.shape, attrs.filterShape, attrs, attrs.dilations ?? 1);
    const dw = alloc(args.backend, sizeOf(attrs.filterShape));
    if (dw.length > 0) addon.conv2dBackpropFilter(xv, dyv, dw, ...geometry(info));
    return output(args.backend, [...attrs.filterShape], dw);
  };
}
