/**
 * Batch normalisation over the last (channel) axis of float32 NHWC / [rows, C] tensors.
 *
 * - `FusedBatchNorm` (tfjs's `tf.batchNorm`, tf.layers' inference path): the cpu kernel walks
 *   five modulo counters per element in JavaScript (41 ns per element here, a quarter of a
 *   SimCLR step); native it is one pass.
 * - Two kernels under names of our own, which core's `batchNormTraining` runs when the active
 *   backend has them (else it composes the same maths from tfjs ops): the training-mode forward
 *   (batch mean and biased variance, then the normalised output, two passes over x) and its
 *   gradient through the batch statistics (two passes over dy and x). tfjs's layers compute the
 *   same thing as moments + FusedBatchNorm and differentiate it op by op: about twenty passes
 *   over the activation per layer and step instead of four.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';
import { normGradKernel, normKernel } from './norm-kernels.js';

/** Kernel names shared with `@autodidact/core` (core/src/nn/batch-norm.ts); core never imports this package. */
export const BATCH_NORM_TRAIN = 'AutodidactBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'AutodidactBatchNormTrainGrad';

/** The FusedBatchNorm kernel: parameters of length 1 or the channel count; anything else goes to the cpu kernel. */
export function fusedBatchNormKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, mean, variance, scale, offset } = args.inputs as Record<string, TensorInfo | undefined>;
    const xv = floatValues(args.backend, x);
    const mv = floatValues(args.backend, mean);
    const vv = floatValues(args.backend, variance);
    const sv = scale ? floatValues(args.backend, scale) : new Float32Array([1]);
    const ov = offset ? floatValues(args.backend, offset) : new Float32Array([0]);
    const shape = (x as TensorInfo).shape;
    const c = shape[shape.length - 1] ?? 1;
    const fits = (v: Float32Array | undefined) => v !== undefined && (v.length === 1 || v.length === c);
    if (!xv || shape.length === 0 || c === 0 || ![mv, vv, sv, ov].every(fits)) return cpu(raw);
    const { varianceEpsilon } = args.attrs as { varianceEpsilon?: number };
    const out = alloc(args.backend, xv.length);
    if (xv.length > 0)
      addon.batchNorm(
        xv,
        mv as Float32Array,
        vv as Float32Array,
        sv as Float32Array,
        ov as Float32Array,
        out,
        c,
        varianceEpsilon ?? 0.001,
      );
    return output(args.backend, [...shape], out);
  };
}

/** `AutodidactBatchNormTrain`: inputs x [..., C], gamma [C], beta [C]; attr epsilon; outputs y, mean [C], variance [C]. */
export function batchNormTrainKernel(addon: NativeAddon): KernelFunc {
  return normKernel(BATCH_NORM_TRAIN, 'channel', addon.batchNormTrain.bind(addon));
}

/** `AutodidactBatchNormTrainGrad`: inputs dy, x, mean, variance, gamma; attr epsilon; outputs dx, dgamma, dbeta. */
export function batchNormTrainGradKernel(addon: NativeAddon): KernelFunc {
  return normGradKernel(BATCH_NORM_TRAIN_GRAD, 'variance', (dy, x, mean, variance, gamma, dx, dgamma, dbeta, c, eps) =>
    addon.batchNormTrainGrad(dy, x, mean, variance, gamma, dx, dgamma, dbeta, c, eps as number),
  );
}
