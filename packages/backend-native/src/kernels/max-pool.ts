/**
 * MaxPool and MaxPoolGrad (NHWC, float32) as direct window scans over typed arrays.
 * tfjs's cpu MaxPoolGrad walks every input pixel through buffer.get() index arithmetic
 * and was 90% of a SimCLR step once the convolutions were native. The gradient goes to
 * the first maximum of each window, as tfjs's maxPoolPositions (strict >) decides.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

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

/**
 * Scans every pooling window; for each output cell and channel reports the flat input index of
 * the first maximum (or -1 for an empty window) through `visit(outIndex, inIndex)`, and returns the maxima.
 */
function scan(x: Float32Array, info: backend_util.Conv2DInfo, visit?: (o: number, i: number) => void): Float32Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const out = new Float32Array(B * OH * OW * C);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let kh = 0; kh < fh; kh++) {
          const ih = oh * sh - pt + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = ow * sw - pl + kw;
            if (iw < 0 || iw >= W) continue;
            const base = ((b * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const o = ((b * OH + oh) * OW + ow) * C;
        out.set(best, o);
        if (visit) for (let c = 0; c < C; c++) visit(o + c, where[c] as number);
      }
    }
  }
  return out;
}

/** The MaxPool kernel. */
export function maxPoolKernel(cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(args.backend, x);
    if (!xv || x.shape.length !== 4) return cpu(raw);
    const info = poolInfo(x, args.attrs as unknown as PoolAttrs);
    return output(args.backend, info.outShape, scan(xv, info));
  };
}

/** The MaxPoolGrad kernel: dy routed to the first maximum of each window. */
export function maxPoolGradKernel(cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const xv = floatValues(args.backend, input);
    const dyv = floatValues(args.backend, dy);
    if (!xv || !dyv || input.shape.length !== 4) return cpu(raw);
    const info = poolInfo(input, args.attrs as unknown as PoolAttrs);
    const dx = new Float32Array(xv.length);
    scan(xv, info, (o, i) => {
      if (i >= 0) dx[i] = (dx[i] as number) + (dyv[o] as number);
    });
    return output(args.backend, [...input.shape], dx);
  };
}
