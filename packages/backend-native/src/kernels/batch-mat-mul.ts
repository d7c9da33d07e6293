/**
 * BatchMatMul on cblas_sgemm, with tfjs's semantics: the outer dims broadcast
 * (batch i reads a[i % batchA], b[i % batchB]) and either side may be transposed.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { alloc, floatValues, type NativeKernelArgs, output, sizeOf } from './kernel-helpers.js';

/** a [..., M, K] x b [..., K, N] -> [...broadcast, M, N] on the addon; undefined when not float32. */
export function nativeBatchMatMul(
  addon: NativeAddon,
  args: NativeKernelArgs,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | undefined {
  const { backend } = args;
  const av = floatValues(backend, a);
  const bv = floatValues(backend, b);
  if (!av || !bv || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? (a.shape[ra - 1] as number) : (a.shape[ra - 2] as number);
  const k = transposeA ? (a.shape[ra - 2] as number) : (a.shape[ra - 1] as number);
  const kb = transposeB ? (b.shape[rb - 1] as number) : (b.shape[rb - 2] as number);
  const n = transposeB ? (b.shape[rb - 2] as number) : (b.shape[rb - 1] as number);
  if (k !== kb) return undefined; // let the cpu kernel raise its own error
  const outer = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const out = alloc(backend, batch * m * n);
  if (batch > 0 && m > 0 && n > 0) addon.batchMatMul(av, bv, out, batchA, batchB, m, n, k, transposeA, transposeB);
  return output(backend, [...outer, m, n], out);
}

/** The BatchMatMul kernel: native for float32, else the cpu kernel. */
export function batchMatMulKernel(addon: NativeAddon, cpu: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    return nativeBatchMatMul(addon, args as unknown as NativeKernelArgs, a, b, transposeA, transposeB) ?? cpu(args);
  };
}
