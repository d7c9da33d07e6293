/**
 * The sequence layers of a Net (conv1d, maxPool1d) against their tf.layers twins built with the
 * same seeded initialisers, on tfjs's cpu backend: initial weights, outputs in training and
 * inference mode, and gradients in the input and every weight, bit for bit; flat tensor counts;
 * the exported tf.layers model gives the same output.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe } from 'vitest';
import { itMatchesTwin } from '../test-support/net-twin.js';
import { type Net, NetBuilder } from './net.js';
import { type Conv1dOptions, conv1d, maxPool1d } from './net-layers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Variant {
  name: string;
  /** Builds the same stack both ways, drawing the same seeds. */
  build(seed: () => number): { net: Net; ref: tf.Sequential };
}

/** conv (kernel 9, same, relu) - pool 4 - conv (kernel 5, same, relu) - pool 4: the genomics patch encoder. */
const patchEncoder: Variant = {
  name: 'conv-relu-same + max pool, twice',
  build(seed) {
    const conv = (kernelSize: number): Conv1dOptions => ({
      filters: 6,
      kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
    });
    const conv1 = conv(9);
    const conv2 = conv(5);
    const b = new NetBuilder('patch', 'encoder/', [null, 4]);
    let x = b.apply('conv1', conv1d(conv1), b.input());
    x = b.apply('pool1', maxPool1d(4, 4), x);
    x = b.apply('conv2', conv1d(conv2), x);
    const net = b.build(b.apply('pool2', maxPool1d(4, 4), x));
    const ref = tf.sequential({
      layers: [
        tf.layers.conv1d({ name: 'conv1', inputShape: [null, 4], ...conv1 }),
        tf.layers.maxPooling1d({ name: 'pool1', poolSize: 4, strides: 4 }),
        tf.layers.conv1d({ name: 'conv2', ...conv2 }),
        tf.layers.maxPooling1d({ name: 'pool2', poolSize: 4, strides: 4 }),
      ],
    });
    return { net, ref };
  },
};

/** Strided valid conv without bias or activation, then an overlapping same-padded pool. */
const stridedValid: Variant = {
  name: 'strided valid linear conv without bias + overlapping same pool',
  build(seed) {
    const conv: Conv1dOptions = {
      filters: 5,
      kernelSize: 4,
      strides: 2,
      useBias: false,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }),
    };
    const b = new NetBuilder('strided', 'm/', [null, 3]);
    const c = b.apply('conv', conv1d(conv), b.input());
    const net = b.build(b.apply('pool', maxPool1d(3, 2, 'same'), c));
    const ref = tf.sequential({
      layers: [
        tf.layers.conv1d({ name: 'conv', inputShape: [null, 3], ...conv }),
        tf.layers.maxPooling1d({ name: 'pool', poolSize: 3, strides: 2, padding: 'same' }),
      ],
    });
    return { net, ref };
  },
};

describe('Net 1-D layers match tf.layers bit for bit (cpu)', () => {
  for (const variant of [patchEncoder, stridedValid]) {
    describe(variant.name, () => {
      itMatchesTwin(() => {
        let s = 11;
        const { net, ref } = variant.build(() => s++);
        const x = tf.randomNormal([3, 37, net.inputShape[1] as number], 0, 1, 'float32', 5) as tf.Tensor3D;
        const out = net.apply(x, false);
        const target = tf.randomNormal(out.shape, 0, 1, 'float32', 6);
        out.dispose();
        return { net, ref, x, target };
      });
    });
  }
});
