/**
 * The standard layers of a {@link Net}: each makes its variables through the net's `ParamMap`,
 * computes with the ops tf.layers uses for the same layer (so results are bit-identical to it),
 * and names its tf.layers equivalent for export. Image layers take NHWC.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { batchNormTraining } from './batch-norm.js';
import type { NetBuildContext, NetInitializer, NetLayer, NetShape } from './net.js';

/** Padding of a window (conv, pool): tf.layers' `same` or `valid`. */
export type Padding = 'same' | 'valid';

function pair(v: number | [number, number]): [number, number] {
  return Array.isArray(v) ? v : [v, v];
}

/** Output length of a window of `k` at `stride` over `n` with `padding` (tf.layers' rule). */
export function windowOutput(n: number | null, k: number, stride: number, padding: Padding): number | null {
  if (n === null) return null;
  return padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - k + 1) / stride);
}

function channels(shape: NetShape, layer: string): number {
  const c = shape[shape.length - 1];
  if (typeof c !== 'number') throw new ConfigError(`${layer} needs a known channel count, got [${shape}]`);
  return c;
}

/** A Glorot-uniform initialiser seeded from the run's generator (deterministic builds). */
export function seededGlorot(seed: number): NetInitializer {
  return tf.initializers.glorotUniform({ seed });
}

/** A He-normal initialiser (for ReLU convs) seeded from the run's generator. */
export function seededHe(seed: number): NetInitializer {
  return tf.initializers.heNormal({ seed });
}

const zeros = (): NetInitializer => tf.initializers.zeros();
const ones = (): NetInitializer => tf.initializers.ones();

/** The kernel and optional zero-initialised bias of a conv or dense layer, made when it is built. */
export class KernelBias {
  kernel!: tf.Variable;
  bias?: tf.Variable;

  constructor(
    readonly useBias: boolean,
    private readonly initializer: NetInitializer,
  ) {}

  /** Makes `kernel` of `shape` and, with a bias, `bias` of `[units]`. */
  build(ctx: NetBuildContext, shape: number[], units: number): void {
    this.kernel = ctx.weight('kernel', shape, this.initializer);
    if (this.useBias) this.bias = ctx.weight('bias', [units], zeros());
  }

  /** The weights in tf.layers' order: kernel, then bias. */
  get weights(): tf.Tensor[] {
    return this.bias ? [this.kernel, this.bias] : [this.kernel];
  }
}

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  useBias?: boolean;
  /** Fused activation. Default linear. */
  activation?: 'linear' | 'relu';
  kernelInitializer: NetInitializer;
}

/** The resolved settings of a 2-D conv (conv2d and conv2dTranspose), with its kernel and bias. */
function conv2dSettings(o: Omit<Conv2dOptions, 'activation'>) {
  const kernelSize = pair(o.kernelSize);
  const strides = pair(o.strides ?? 1);
  const padding: Padding = o.padding ?? 'valid';
  const w = new KernelBias(o.useBias ?? true, o.kernelInitializer);
  /** The tf.layers arguments both layers take. */
  const layerArgs = (name: string) => ({ name, filters: o.filters, kernelSize, strides, padding, useBias: w.useBias });
  return { kernelSize, strides, padding, w, layerArgs };
}

/** 2-D convolution, kernel `[kh, kw, in, filters]` (tf.layers' Conv2D). */
export function conv2d(o: Conv2dOptions): NetLayer {
  const { kernelSize, strides, padding, w, layerArgs } = conv2dSettings(o);
  const activation = o.activation ?? 'linear';
  return {
    className: 'Conv2D',
    build(ctx: NetBuildContext, [shape]: NetShape[]): NetShape {
      w.build(ctx, [...kernelSize, channels(shape!, 'conv2d'), o.filters], o.filters);
      return [
        windowOutput(shape![0]!, kernelSize[0], strides[0], padding),
        windowOutput(shape![1]!, kernelSize[1], strides[1], padding),
        o.filters,
      ];
    },
    call([x]: tf.Tensor[]): tf.Tensor {
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: w.kernel as tf.Tensor4D,
        strides,
        pad: padding,
        dilations: [1, 1],
        dataFormat: 'NHWC',
        bias: w.bias,
        activation,
      });
    },
    toLayers(name: string) {
      return {
        layer: tf.layers.conv2d({ ...layerArgs(name), activation }),
        weights: w.weights,
      };
    },
  };
}

/** Options of {@link dense}. */
export interface DenseOptions {
  units: number;
  useBias?: boolean;
  /** Fused activation. Default linear. */
  activation?: 'linear' | 'relu';
  kernelInitializer: NetInitializer;
}

/** Dense layer on `[batch, in]`, kernel `[in, units]` (tf.layers' Dense). */
export function dense(o: DenseOptions): NetLayer {
  const activation = o.activation ?? 'linear';
  const w = new KernelBias(o.useBias ?? true, o.kernelInitializer);
  return {
    className: 'Dense',
    build(ctx, [shape]) {
      if (shape!.length !== 1) throw new ConfigError(`dense takes [batch, features], got [batch, ${shape}]`);
      w.build(ctx, [channels(shape!, 'dense'), o.units], o.units);
      return [o.units];
    },
    call([x]) {
      return tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: w.kernel as tf.Tensor2D,
        transposeA: false,
        transposeB: false,
        bias: w.bias ?? null,
        activation,
      } as Parameters<typeof tf.fused.matMul>[0]);
    },
    toLayers(name) {
      return {
        layer: tf.layers.dense({ name, units: o.units, useBias: w.useBias, activation }),
        weights: w.weights,
      };
    },
  };
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Moving average keeps `momentum` of the old value per step. Default 0.9. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
}

/**
 * Batch norm over every axis but the last: gamma, beta (trainable), moving_mean,
 * moving_variance (state). Training mode runs `batchNormTraining` and moves the statistics
 * (moving ← moving − (moving − batch) · (1 − momentum), biased variance); inference uses them.
 */
export function batchNorm(o: BatchNormOptions = {}): NetLayer {
  const momentum = o.momentum ?? 0.9;
  const epsilon = o.epsilon ?? 1e-5;
  let gamma: tf.Variable;
  let beta: tf.Variable;
  let movingMean: tf.Variable;
  let movingVariance: tf.Variable;
  return {
    className: 'BatchNormalization',
    build(ctx, [shape]) {
      const c = channels(shape!, 'batch norm');
      gamma = ctx.weight('gamma', [c], ones());
      beta = ctx.weight('beta', [c], zeros());
      movingMean = ctx.weight('moving_mean', [c], zeros(), false);
      movingVariance = ctx.weight('moving_variance', [c], ones(), false);
      return [...shape!];
    },
    call([x], training) {
      if (!training) {
        const [m, v, b, g] = [movingMean, movingVariance, beta, gamma] as unknown as tf.Tensor1D[];
        if (x!.rank === 2) return tf.batchNorm2d(x as tf.Tensor2D, m!, v!, b, g, epsilon);
        if (x!.rank === 3) return tf.batchNorm3d(x as tf.Tensor3D, m!, v!, b, g, epsilon);
        if (x!.rank === 4) return tf.batchNorm4d(x as tf.Tensor4D, m!, v!, b, g, epsilon);
        throw new ConfigError(`batch norm takes rank 2-4, got rank ${x!.rank}`);
      }
      const { y, mean, variance } = batchNormTraining(x!, gamma, beta, epsilon);
      const decay = 1 - momentum;
      for (const [moving, value] of [
        [movingMean, mean],
        [movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          moving.assign(tf.sub(moving, tf.mul(tf.sub(moving, value), decay)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    },
    toLayers(name) {
      return {
        layer: tf.layers.batchNormalization({ name, momentum, epsilon }),
        weights: [gamma, beta, movingMean, movingVariance],
      };
    },
  };
}

/** A layer without variables: `fn` on its inputs, `shape` of its input shapes. */
function stateless(
  className: string,
  shape: (shapes: NetShape[]) => NetShape,
  fn: (inputs: tf.Tensor[]) => tf.Tensor,
  layer: (name: string) => tf.layers.Layer,
): NetLayer {
  return {
    className,
    build: (_ctx, shapes) => shape(shapes),
    call: (inputs) => fn(inputs),
    toLayers: (name) => ({ layer: layer(name), weights: [] }),
  };
}

/** ReLU. */
export function relu(): NetLayer {
  return stateless(
    'ReLU',
    ([s]) => [...s!],
    ([x]) => tf.relu(x!),
    (name) => tf.layers.reLU({ name }),
  );
}

/** Max pooling over `[batch, h, w, c]`. */
export function maxPool2d(
  poolSize: number | [number, number],
  strides: number | [number, number] = poolSize,
  padding: Padding = 'valid',
): NetLayer {
  const p = pair(poolSize);
  const s = pair(strides);
  return stateless(
    'MaxPooling2D',
    ([shape]) => [
      windowOutput(shape![0]!, p[0], s[0], padding),
      windowOutput(shape![1]!, p[1], s[1], padding),
      shape![2]!,
    ],
    ([x]) => tf.maxPool(x as tf.Tensor4D, p, s, padding),
    (name) => tf.layers.maxPooling2d({ name, poolSize: p, strides: s, padding }),
  );
}

/** Mean over the spatial axes: `[batch, h, w, c]` -> `[batch, c]`. */
export function globalAveragePool2d(): NetLayer {
  return stateless(
    'GlobalAveragePooling2D',
    ([shape]) => [shape![2]!],
    ([x]) => tf.mean(x!, [1, 2]),
    (name) => tf.layers.globalAveragePooling2d({ name }),
  );
}

/** Symmetric zero padding of `pad` pixels on each side of `[batch, h, w, c]`. */
export function zeroPad2d(pad: number): NetLayer {
  const grow = (n: number | null) => (n === null ? null : n + 2 * pad);
  return stateless(
    'ZeroPadding2D',
    ([shape]) => [grow(shape![0]!), grow(shape![1]!), shape![2]!],
    ([x]) =>
      tf.pad(x!, [
        [0, 0],
        [pad, pad],
        [pad, pad],
        [0, 0],
      ]),
    (name) => tf.layers.zeroPadding2d({ name, padding: pad }),
  );
}

/** `[batch, ...]` -> `[batch, prod(...)]`. */
export function flatten(): NetLayer {
  return stateless(
    'Flatten',
    ([shape]) => [shape!.reduce<number>((a, b) => a * (b ?? NaN), 1)],
    ([x]) => tf.reshape(x!, [x!.shape[0]!, x!.size / x!.shape[0]!]),
    (name) => tf.layers.flatten({ name }),
  );
}

/** `[batch, ...]` -> `[batch, ...targetShape]`. */
export function reshape(targetShape: number[]): NetLayer {
  return stateless(
    'Reshape',
    () => [...targetShape],
    ([x]) => tf.reshape(x!, [x!.shape[0]!, ...targetShape]),
    (name) => tf.layers.reshape({ name, targetShape }),
  );
}

/** Elementwise sum of its inputs (a residual connection). */
export function add(): NetLayer {
  return stateless(
    'Add',
    ([s]) => [...s!],
    (inputs) => inputs.slice(1).reduce((sum, t) => tf.add(sum, t), inputs[0]!),
    (name) => tf.layers.add({ name }),
  );
}

/** Options of {@link conv2dTranspose}: those of {@link conv2d} without an activation. */
export type Conv2dTransposeOptions = Omit<Conv2dOptions, 'activation'>;

/** Transposed 2-D convolution, kernel `[kh, kw, filters, in]` (tf.layers' Conv2DTranspose). */
export function conv2dTranspose(o: Conv2dTransposeOptions): NetLayer {
  const { kernelSize, strides, padding, w, layerArgs } = conv2dSettings(o);
  const grow = (n: number | null, i: 0 | 1): number | null =>
    n === null ? null : padding === 'same' ? n * strides[i] : n * strides[i] + Math.max(kernelSize[i] - strides[i], 0);
  return {
    className: 'Conv2DTranspose',
    build(ctx, [shape]) {
      w.build(ctx, [...kernelSize, o.filters, channels(shape!, 'conv2dTranspose')], o.filters);
      return [grow(shape![0]!, 0), grow(shape![1]!, 1), o.filters];
    },
    call([x]) {
      const [n, height, width] = x!.shape as number[];
      const out: [number, number, number, number] = [n!, grow(height!, 0)!, grow(width!, 1)!, o.filters];
      const y = tf.conv2dTranspose(x as tf.Tensor4D, w.kernel as tf.Tensor4D, out, strides, padding);
      return w.bias ? tf.add(y, tf.reshape(w.bias, [1, 1, 1, o.filters])) : y;
    },
    toLayers(name) {
      return {
        layer: tf.layers.conv2dTranspose(layerArgs(name)),
        weights: w.weights,
      };
    },
  };
}

export { type Conv1dOptions, conv1d, maxPool1d } from './net-layers-1d.js';
export { type GruOptions, gru } from './net-gru.js';
