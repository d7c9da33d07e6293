/**
 * One Adam / AdamW update of one parameter in a single pass, under a kernel name of our own that
 * core's Adam runs when the active backend has it (else it composes the update from tfjs ops,
 * about a dozen passes over the parameter and its two moments, each a fresh tensor).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

/** Kernel name shared with `@autodidact/core` (core/src/trainer/optimizers/adam.ts). */
export const ADAM_UPDATE = 'AutodidactAdamUpdate';

interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 - beta1^t and 1 - beta2^t. */
  biasCorrection1: number;
  biasCorrection2: number;
  weightDecay: number;
  decoupled: boolean;
}

/** Inputs param, grad, m, v (float32, one shape); outputs the new param, m and v. */
export function adamUpdateKernel(addon: NativeAddon): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { param, grad, m, v } = args.inputs as Record<string, TensorInfo>;
    const vals = [param, grad, m, v].map((t) => floatValues(args.backend, t));
    if (vals.some((x) => !x || x.length !== vals[0]!.length))
      throw new Error(`${ADAM_UPDATE}: expected float32 tensors of one size`);
    const [pv, gv, mv, vv] = vals as Float32Array[];
    const a = args.attrs as unknown as AdamAttrs;
    const n = pv!.length;
    const [op, om, ov] = [alloc(args.backend, n), alloc(args.backend, n), alloc(args.backend, n)];
    if (n > 0)
      addon.adam(
        pv!,
        gv!,
        mv!,
        vv!,
        op,
        om,
        ov,
        a.lr,
        a.beta1,
        a.beta2,
        a.eps,
        a.biasCorrection1,
        a.biasCorrection2,
        a.weightDecay,
        a.decoupled,
      );
    const shape = [...param!.shape];
    return [output(args.backend, shape, op), output(args.backend, shape, om), output(args.backend, shape, ov)];
  };
}
