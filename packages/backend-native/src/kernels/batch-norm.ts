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
import { alloc, floatValues, type NativeKernelArgs, output, sizeOf } from './kernel-helpers.js';

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
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, gamma, beta } = args.inputs as Record<string, TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const xv = floatValues(args.backend, x);
    const gv = floatValues(args.backend, gamma);
    const bv = floatValues(args.backend, beta);
    const c = x!.shape[x!.shape.length - 1] as number;
    if (!xv || !gv || !bv || gv.length !== c || bv.length !== c) {
      throw new Error(`${BATCH_NORM_TRAIN}: expected float32 x [..., C] with gamma and beta [C]`);
    }
    const y = alloc(args.backend, xv.length);
    const mean = new Float32Array(c);
    const variance = new Float32Array(c);
    if (xv.length > 0) addon.batchNormTrain(xv, gv, bv, y, mean, variance, c, epsilon);
    return [
      output(args.backend, [...x!.shape], y),
      output(args.backend, [c], mean),
      output(args.backend, [c], variance),
    ];
  };
}

/** `AutodidactBatchNormTrainGrad`: inputs dy, x, mean, variance, gamma; attr epsilon; outputs dx, dgamma, dbeta. */
export function batchNormTrainGradKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { dy, x, mean, variance, gamma } = args.inputs as Record<string, TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const vals = [dy, x, mean, variance, gamma].map((t) => floatValues(args.backend, t));
    if (vals.some((v) => !v)) throw new Error(`${BATCH_NORM_TRAIN_GRAD}: expected float32 inputs`);
    const [dyv, xv, mv, vv, gv] = vals as Float32Array[];
    const c = gv!.length;
    const dx = alloc(args.backend, sizeOf(x!.shape));
    const dgamma = new Float32Array(c);
    const dbeta = new Float32Array(c);
    if (dx.length > 0) addon.batchNormTrainGrad(dyv!, xv!, mv!, vv!, gv!, dx, dgamma, dbeta, c, epsilon);
    return [
      output(args.backend, [...x!.shape], dx),
      output(args.backend, [c], dgamma),
      output(args.backend, [c], dbeta),
    ];
  };
}
