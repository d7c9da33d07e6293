/** _FusedMatMul: native sgemm, then bias and activation. */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { nativeBatchMatMul } from './batch-mat-mul.js';
import { applyBiasActivation, knownActivation } from './fused-activation.js';
import type { NativeKernelArgs } from './kernel-helpers.js';

/** The _FusedMatMul kernel: native for float32 and known activations, else the cpu kernel. */
export function fusedMatMulKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as {
      transposeA: boolean;
      transposeB: boolean;
      activation?: string;
      leakyreluAlpha?: number;
    };
    if (!knownActivation(attrs.activation)) return cpu(raw);
    const product = nativeBatchMatMul(
      addon,
      args,
      a as TensorInfo,
      b as TensorInfo,
      attrs.transposeA,
      attrs.transposeB,
    );
    if (!product) return cpu(raw);
    return applyBiasActivation(args, product, bias, attrs.activation, preluActivationWeights, attrs.leakyreluAlpha);
  };
}
