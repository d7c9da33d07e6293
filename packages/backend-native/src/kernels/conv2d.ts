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

/**
 * Runs one of the addon's convolutions, `entry(a, b, out, ...geometry)`, on the float32 inputs a and
 * b with the geometry of a convolution of an `xShape` input by a `filterShape` filter, into a new
 * tensor of `outShape` (by default the convolution's output). Undefined (for the cpu kernel) on
 * NCHW data or an input that is not float32.
 */
function runConv(
  addon: NativeAddon,
  args: NativeKernelArgs,
  entry: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter',
  [a, b]: [TensorInfo, TensorInfo],
  attrs: ConvAttrs,
  [xShape, filterShape]: [number[], number[]],
  outShape?: number[],
): TensorInfo | undefined {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const av = floatValues(args.backend, a);
  const bv = floatValues(args.backend, b);
  if (!av || !bv) return undefined;
  const info = convInfo(xShape, filterShape, attrs, attrs.dilations ?? 1);
  const shape = outShape ? [...outShape] : [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const out = alloc(args.backend, sizeOf(shape));
  if (out.length > 0) addon[entry](av, bv, out, ...geometry(info));
  return output(args.backend, shape, out);
}

function nativeConv(addon: NativeAddon, args: NativeKernelArgs, x: TensorInfo, filter: TensorInfo, a: ConvAttrs) {
  if (x.shape.length !== 4) return undefined;
  return runConv(addon, args, 'conv2d', [x, filter], a, [x.shape, filter.shape]);
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
    const shapes: [number[], number[]] = [attrs.inputShape, filter.shape];
    return runConv(addon, args, 'conv2dBackpropInput', [dy, filter], attrs, shapes, attrs.inputShape) ?? cpu(raw);
  };
}

/** The Conv2DBackpropFilter kernel (gradient of Conv2D with respect to its filter). */
export function conv2dBackpropFilterKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    const shapes: [number[], number[]] = [x.shape, attrs.filterShape];
    return runConv(addon, args, 'conv2dBackpropFilter', [x, dy], attrs, shapes, attrs.filterShape) ?? cpu(raw);
  };
}
