/**
 * MaxPool and MaxPoolGrad (NHWC, float32) as direct window scans in the addon.
 * tfjs's cpu MaxPoolGrad walks every input pixel through buffer.get() index arithmetic
 * and was 90% of a SimCLR step once the convolutions were native. The gradient goes to
 * the first maximum of each window, as tfjs's maxPoolPositions (strict >) decides.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(x: TensorInfo, a: PoolAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
}

function geometry(info: backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.filterHeight,
    info.filterWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** The MaxPool kernel. */
export function maxPoolKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(args.backend, x);
    if (!xv || x.shape.length !== 4) return cpu(raw);
    const info = poolInfo(x, args.attrs as unknown as PoolAttrs);
    const out = alloc(
      args.backend,
      info.outShape.reduce((a, b) => a * b, 1),
    );
    if (out.length > 0) addon.maxPool(xv, out, ...geometry(info));
    return output(args.backend, info.outShape, out);
  };
}

/** The MaxPoolGrad kernel: dy routed to the first maximum of each window. */
export function maxPoolGradKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const xv = floatValues(args.backend, input);
    const dyv = floatValues(args.backend, dy);
    if (!xv || !dyv || input.shape.length !== 4) return cpu(raw);
    const info = poolInfo(input, args.attrs as unknown as PoolAttrs);
    const dx = alloc(args.backend, xv.length);
    if (dx.length > 0) addon.maxPoolGrad(xv, dyv, dx, ...geometry(info));
    return output(args.backend, [...input.shape], dx);
  };
}
