/**
 * The `native` tfjs backend: tfjs's MathBackendCPU (same tensor storage, every cpu
 * kernel re-registered under 'native') with the hot kernels replaced by OpenBLAS ones.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addon, addonError, type NativeAddon } from './addon.js';
import { BufferPool, type PoolStats } from './buffer-pool.js';
import { batchMatMulKernel } from './kernels/batch-mat-mul.js';
import { BINARY_OPS, binaryKernel, RELU_GRAD, reluGradKernel } from './kernels/binary-ops.js';
import {
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  conv2dKernel,
  fusedConv2dKernel,
} from './kernels/conv2d.js';
import { adamUpdateKernel, ADAM_UPDATE } from './kernels/adam.js';
import {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  batchNormTrainGradKernel,
  batchNormTrainKernel,
  fusedBatchNormKernel,
} from './kernels/batch-norm.js';
import { COMPARE_OPS, compareKernel } from './kernels/compare-ops.js';
import { cropAndResizeKernel } from './kernels/crop-and-resize.js';
import { fusedMatMulKernel } from './kernels/fused-mat-mul.js';
import { gatherKernel, unsortedSegmentSumKernel } from './kernels/gather.js';
import { maxPoolGradKernel, maxPoolKernel } from './kernels/max-pool.js';
import { registerGradients } from './gradients.js';
import { argMaxKernel, maxKernel, meanKernel, sumKernel, tileKernel, transposeKernel } from './kernels/reduce.js';
import {
  concatKernel,
  oneHotKernel,
  padKernel,
  sliceKernel,
  SOFTMAX_GRAD,
  softmaxGradKernel,
  softmaxKernel,
  splitVKernel,
} from './kernels/shape-ops.js';
import {
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  softmaxCrossEntropyGradKernel,
  softmaxCrossEntropyKernel,
} from './kernels/softmax-cross-entropy.js';
import {
  GELU,
  GELU_GRAD,
  geluGradKernel,
  geluKernel,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  layerNormGradKernel,
  layerNormKernel,
} from './kernels/transformer.js';
import { clipByValueKernel, UNARY_OPS, unaryKernel } from './kernels/unary-ops.js';

/** Name under which the backend registers with tfjs. */
export const NATIVE_BACKEND_NAME = 'native';

type Factory = (addon: NativeAddon, cpu: tf.KernelFunc) => tf.KernelFunc;

/** Kernels with a native implementation; every other cpu kernel is registered unchanged. */
export const NATIVE_KERNELS: Readonly<Record<string, Factory>> = {
  BatchMatMul: batchMatMulKernel,
  _FusedMatMul: fusedMatMulKernel,
  Conv2D: conv2dKernel,
  FusedConv2D: fusedConv2dKernel,
  Conv2DBackpropInput: conv2dBackpropInputKernel,
  Conv2DBackpropFilter: conv2dBackpropFilterKernel,
  Sum: sumKernel,
  Mean: meanKernel,
  Transpose: transposeKernel,
  Tile: tileKernel,
  Slice: sliceKernel,
  SplitV: splitVKernel,
  Concat: concatKernel,
  PadV2: padKernel,
  OneHot: (_a, cpu) => oneHotKernel(cpu),
  Softmax: softmaxKernel,
  MaxPool: maxPoolKernel,
  MaxPoolGrad: maxPoolGradKernel,
  Max: (a, cpu) => maxKernel(a, cpu, false),
  Min: (a, cpu) => maxKernel(a, cpu, true),
  ArgMax: (a, cpu) => argMaxKernel(a, cpu, false),
  ArgMin: (a, cpu) => argMaxKernel(a, cpu, true),
  FusedBatchNorm: fusedBatchNormKernel,
  ClipByValue: clipByValueKernel,
  CropAndResize: cropAndResizeKernel,
  GatherV2: gatherKernel,
  UnsortedSegmentSum: (_a, cpu) => unsortedSegmentSumKernel(cpu),
  ...Object.fromEntries(
    Object.entries(BINARY_OPS).map(([name, op]) => [
      name,
      (a: NativeAddon, cpu: tf.KernelFunc) => binaryKernel(a, op, cpu),
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(UNARY_OPS).map(([name, op]) => [
      name,
      (a: NativeAddon, cpu: tf.KernelFunc) => unaryKernel(a, op, cpu),
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(COMPARE_OPS).map(([name, op]) => [
      name,
      (a: NativeAddon, cpu: tf.KernelFunc) => compareKernel(a, op, cpu),
    ]),
  ),
};

/**
 * Fused kernels with no tfjs counterpart, under names `@autodidact/core` looks up for the active
 * backend (its batch norm in training mode, softmax cross-entropy and Adam run them when present
 * and compose the same maths from tfjs ops otherwise).
 */
export const FUSED_KERNELS: Readonly<Record<string, (addon: NativeAddon) => tf.KernelFunc>> = {
  [BATCH_NORM_TRAIN]: batchNormTrainKernel,
  [BATCH_NORM_TRAIN_GRAD]: batchNormTrainGradKernel,
  [SOFTMAX_CROSS_ENTROPY]: softmaxCrossEntropyKernel,
  [SOFTMAX_CROSS_ENTROPY_GRAD]: softmaxCrossEntropyGradKernel,
  [ADAM_UPDATE]: adamUpdateKernel,
  [RELU_GRAD]: reluGradKernel,
  [GELU]: geluKernel,
  [GELU_GRAD]: geluGradKernel,
  [LAYER_NORM]: layerNormKernel,
  [LAYER_NORM_GRAD]: layerNormGradKernel,
  [SOFTMAX_GRAD]: softmaxGradKernel,
};

type DataId = object;
type BackendValues = Parameters<MathBackendCPU['write']>[0];
type DataType = Parameters<MathBackendCPU['write']>[2];

/**
 * MathBackendCPU that recycles the memory of disposed kernel outputs ({@link BufferPool})
 * and does not print the "install tfjs-node" notice (this backend is the fast path).
 */
export class NativeBackend extends MathBackendCPU {
  /** Memory for the native kernels' outputs. */
  readonly pool = new BufferPool();
  private kernelOutput = false;

  constructor() {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues | string[]): tf.TensorInfo {
    this.kernelOutput = true;
    try {
      return super.makeTensorInfo(shape, dtype, values);
    } finally {
      this.kernelOutput = false;
    }
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const id = super.write(values, shape, dtype);
    this.pool.adopt(values, this.kernelOutput);
    return id;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.pool.adopt(values, false);
  }

  override readSync(dataId: DataId): BackendValues {
    if (this.data.has(dataId)) this.pool.escape(this.data.get(dataId).values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) this.pool.release(values);
    return released;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}

let registered: boolean | undefined;

/**
 * Registers the `native` backend with tfjs (does not activate it: call
 * `tf.setBackend('native')`, or let core's `initBackend` choose).
 * @returns whether the addon loaded and the backend is registered; false means use another backend.
 */
export function register(): boolean {
  if (registered !== undefined) return registered;
  if (!addon) {
    registered = false;
    return false;
  }
  const native = addon;
  if (!tf.findBackendFactory(NATIVE_BACKEND_NAME))
    tf.registerBackend(NATIVE_BACKEND_NAME, () => new NativeBackend(), 0);
  const have = new Set(tf.getKernelsForBackend(NATIVE_BACKEND_NAME).map((k) => k.kernelName));
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    if (have.has(kernel.kernelName)) continue;
    const make = NATIVE_KERNELS[kernel.kernelName];
    tf.registerKernel({
      ...kernel,
      backendName: NATIVE_BACKEND_NAME,
      kernelFunc: make ? make(native, kernel.kernelFunc) : kernel.kernelFunc,
    });
  }
  for (const [kernelName, make] of Object.entries(FUSED_KERNELS)) {
    if (!have.has(kernelName))
      tf.registerKernel({ kernelName, backendName: NATIVE_BACKEND_NAME, kernelFunc: make(native) });
  }
  registerGradients(NATIVE_BACKEND_NAME);
  registered = true;
  return true;
}

/** Statistics of the native backend's buffer pool (undefined before the backend is created). */
export function poolStats(): PoolStats | undefined {
  const backend = tf.findBackend(NATIVE_BACKEND_NAME) as NativeBackend | null;
  return backend?.pool.stats();
}

/** Whether the compiled addon loaded. */
export function available(): boolean {
  return addon !== undefined;
}

/** Why the addon is unavailable, or undefined when it loaded. */
export function unavailableReason(): string | undefined {
  return addonError;
}

/** One line describing the backend, e.g. for core's backend notice. */
export function describe(): string {
  if (!addon) return `native backend unavailable: ${addonError}`;
  const config = addon.config().trim();
  return `tfjs cpu kernels with OpenBLAS matmul (${config}; ${addon.threads()} threads), convolutions on ${addon.convEngine()}`;
}
