/**
 * Softmax cross-entropy with integer targets, under kernel names of our own that core's
 * `softmaxCrossEntropy` runs when the active backend has them (else it composes the same maths
 * from tfjs ops). Forward: per row, the max-shifted log-sum-exp minus the target's logit, and the
 * softmax kept for the gradient; backward: (softmax - onehot) times the row's incoming gradient.
 * One pass each way instead of tfjs's logSumExp, one-hot product and their gradients
 * (max, equal, exp, sum, log, mul over the full [rows, classes] matrix several times).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

/** Kernel names shared with `@autodidact/core` (core/src/objectives/cross-entropy.ts). */
export const SOFTMAX_CROSS_ENTROPY = 'AutodidactSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'AutodidactSoftmaxCrossEntropyGrad';

function targetValues(args: NativeKernelArgs, t: TensorInfo | undefined): Int32Array {
  const v = t ? args.backend.data.get(t.dataId).values : undefined;
  if (!(v instanceof Int32Array)) throw new Error(`${SOFTMAX_CROSS_ENTROPY}: targets must be int32`);
  return v;
}

/** Inputs logits [rows, cols] float32, targets [rows] int32 (in range); outputs losses [rows], probs [rows, cols]. */
export function softmaxCrossEntropyKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { logits, targets } = args.inputs as Record<string, TensorInfo>;
    const lv = floatValues(args.backend, logits);
    if (!lv || logits!.shape.length !== 2)
      throw new Error(`${SOFTMAX_CROSS_ENTROPY}: logits must be float32 [rows, cols]`);
    const [rows, cols] = logits!.shape as [number, number];
    const tv = targetValues(args, targets);
    const losses = new Float32Array(rows);
    const probs = alloc(args.backend, rows * cols);
    if (probs.length > 0) addon.softmaxCrossEntropy(lv, tv, losses, probs, rows, cols);
    return [output(args.backend, [rows], losses), output(args.backend, [rows, cols], probs)];
  };
}

/** Inputs probs [rows, cols], targets [rows] int32, dloss [rows]; output dlogits [rows, cols]. */
export function softmaxCrossEntropyGradKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { probs, targets, dloss } = args.inputs as Record<string, TensorInfo>;
    const pv = floatValues(args.backend, probs);
    const dv = floatValues(args.backend, dloss);
    if (!pv || !dv) throw new Error(`${SOFTMAX_CROSS_ENTROPY_GRAD}: expected float32 probs and dloss`);
    const [rows, cols] = probs!.shape as [number, number];
    const out = alloc(args.backend, rows * cols);
    if (out.length > 0) addon.softmaxCrossEntropyGrad(pv, targetValues(args, targets), dv, out, rows, cols);
    return output(args.backend, [rows, cols], out);
  };
}
