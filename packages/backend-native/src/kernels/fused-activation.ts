/**
 * Bias and activation for the fused kernels (_FusedMatMul, FusedConv2D), applied by the
 * cpu kernels registered under the same backend after the native matmul/conv.
 */
import { getKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeKernelArgs } from './kernel-helpers.js';

function run(name: string, args: NativeKernelArgs, inputs: Record<string, TensorInfo>, attrs = {}): TensorInfo {
  const kernel = getKernel(name, 'native') ?? getKernel(name, 'cpu');
  if (!kernel) throw new Error(`tfjs cpu kernel ${name} is not registered`);
  return (kernel.kernelFunc as KernelFunc)({ inputs, backend: args.backend, attrs }) as TensorInfo;
}

const ACTIVATION_KERNEL: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/** Whether {@link applyBiasActivation} knows the activation (`linear` or one of tfjs's fused ones). */
export function knownActivation(activation: string | undefined): boolean {
  return activation === undefined || activation === 'linear' || activation in ACTIVATION_KERNEL;
}

/** x + bias (broadcast over the last dim), then the activation; disposes intermediates. */
export function applyBiasActivation(
  args: NativeKernelArgs,
  x: TensorInfo,
  bias: TensorInfo | undefined,
  activation: string | undefined,
  preluWeights: TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): TensorInfo {
  let current = x;
  if (bias) {
    const next = run('Add', args, { a: current, b: bias });
    args.backend.disposeIntermediateTensorInfo(current);
    current = next;
  }
  if (activation && activation !== 'linear') {
    const name = ACTIVATION_KERNEL[activation] as string;
    const next =
      activation === 'prelu'
        ? run(name, args, { x: current, alpha: preluWeights as TensorInfo })
        : run(name, args, { x: current }, activation === 'leakyrelu' ? { alpha: leakyreluAlpha ?? 0.2 } : {});
    args.backend.disposeIntermediateTensorInfo(current);
    current = next;
  }
  return current;
}
