/**
 * Sequence layers of a {@link Net} on `[batch, steps, channels]` (NWC): a 1-D convolution and
 * 1-D max pooling, computed with the ops tf.layers' Conv1D and MaxPooling1D run (so results,
 * gradients and checkpoints are bit-identical to them).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { NetBuildContext, NetInitializer, NetLayer, NetShape } from './net.js';
import { KernelBias, type Padding, windowOutput } from './net-layers.js';

function sequenceShape(shape: NetShape | undefined, layer: string): [number | null, number] {
  const c = shape?.[1];
  if (shape?.length !== 2 || typeof c !== 'number') {
    throw new ConfigError(`${layer} takes [batch, steps, channels] with known channels, got [batch, ${shape}]`);
  }
  return [shape[0]!, c];
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: Padding;
  useBias?: boolean;
  /** Applied after the bias. Default linear. */
  activation?: 'linear' | 'relu';
  kernelInitializer: NetInitializer;
}

/**
 * 1-D convolution over `[batch, steps, in]`, kernel `[k, in, filters]` (tf.layers' Conv1D):
 * `conv1d` (NWC), then the bias added as `[1, 1, filters]`, then the activation, unfused, as
 * tf.layers' `conv1dWithBias` and `Activation.apply` do.
 */
export function conv1d(o: Conv1dOptions): NetLayer {
  const strides = o.strides ?? 1;
  const padding = o.padding ?? 'valid';
  const activation = o.activation ?? 'linear';
  const w = new KernelBias(o.useBias ?? true, o.kernelInitializer);
  return {
    className: 'Conv1D',
    build(ctx: NetBuildContext, [shape]: NetShape[]): NetShape {
      const [steps, inC] = sequenceShape(shape, 'conv1d');
      w.build(ctx, [o.kernelSize, inC, o.filters], o.filters);
      return [windowOutput(steps, o.kernelSize, strides, padding), o.filters];
    },
    call([x]: tf.Tensor[]): tf.Tensor {
      let y: tf.Tensor = tf.conv1d(x as tf.Tensor3D, w.kernel as tf.Tensor3D, strides, padding, 'NWC', 1);
      if (w.bias) y = tf.add(y, tf.reshape(w.bias, [1, 1, o.filters]));
      return activation === 'relu' ? tf.relu(y) : y;
    },
    toLayers(name: string) {
      return {
        layer: tf.layers.conv1d({
          name,
          filters: o.filters,
          kernelSize: o.kernelSize,
          strides,
          padding,
          useBias: w.useBias,
          activation,
        }),
        weights: w.weights,
      };
    },
  };
}

/**
 * Max pooling over the steps of `[batch, steps, c]` (tf.layers' MaxPooling1D): a 2-D max pool
 * of window `[poolSize, 1]` on `[batch, steps, 1, c]`.
 */
export function maxPool1d(poolSize: number, strides: number = poolSize, padding: Padding = 'valid'): NetLayer {
  return {
    className: 'MaxPooling1D',
    build(_ctx, [shape]) {
      const [steps, c] = sequenceShape(shape, 'maxPool1d');
      return [windowOutput(steps, poolSize, strides, padding), c];
    },
    call([x]) {
      const [n, steps, c] = x!.shape as number[];
      const y = tf.maxPool(tf.reshape(x!, [n!, steps!, 1, c!]) as tf.Tensor4D, [poolSize, 1], [strides, 1], padding);
      return tf.squeeze(y, [2]);
    },
    toLayers(name) {
      return { layer: tf.layers.maxPooling1d({ name, poolSize, strides, padding }), weights: [] };
    },
  };
}
