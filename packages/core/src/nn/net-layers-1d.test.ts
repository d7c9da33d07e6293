/**
 * The sequence layers of a Net (conv1d, maxPool1d) against their tf.layers twins built with the
 * same seeded initialisers, on tfjs's cpu backend: initial weights, outputs in training and
 * inference mode, and gradients in the input and every weight, bit for bit; flat tensor counts;
 * the exported tf.layers model gives the same output.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy } from '../test-support/tensor-count.js';
import { type Net, NetBuilder } from './net.js';
import { conv1d, maxPool1d } from './net-layers.js';

const same = (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};

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
    const s1 = seed();
    const s2 = seed();
    const b = new NetBuilder('patch', 'encoder/', [null, 4]);
    let x = b.apply(
      'conv1',
      conv1d({
        filters: 6,
        kernelSize: 9,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: s1 }),
      }),
      b.input(),
    );
    x = b.apply('pool1', maxPool1d(4, 4), x);
    x = b.apply(
      'conv2',
      conv1d({
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: s2 }),
      }),
      x,
    );
    const net = b.build(b.apply('pool2', maxPool1d(4, 4), x));
    const ref = tf.sequential({
      layers: [
        tf.layers.conv1d({
          name: 'conv1',
          inputShape: [null, 4],
          filters: 6,
          kernelSize: 9,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.heNormal({ seed: s1 }),
        }),
        tf.layers.maxPooling1d({ name: 'pool1', poolSize: 4, strides: 4 }),
        tf.layers.conv1d({
          name: 'conv2',
          filters: 6,
          kernelSize: 5,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.heNormal({ seed: s2 }),
        }),
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
    const s = seed();
    const b = new NetBuilder('strided', 'm/', [null, 3]);
    const c = b.apply(
      'conv',
      conv1d({
        filters: 5,
        kernelSize: 4,
        strides: 2,
        useBias: false,
        kernelInitializer: tf.initializers.glorotUniform({ seed: s }),
      }),
      b.input(),
    );
    const net = b.build(b.apply('pool', maxPool1d(3, 2, 'same'), c));
    const ref = tf.sequential({
      layers: [
        tf.layers.conv1d({
          name: 'conv',
          inputShape: [null, 3],
          filters: 5,
          kernelSize: 4,
          strides: 2,
          useBias: false,
          kernelInitializer: tf.initializers.glorotUniform({ seed: s }),
        }),
        tf.layers.maxPooling1d({ name: 'pool', poolSize: 3, strides: 2, padding: 'same' }),
      ],
    });
    return { net, ref };
  },
};

describe('Net 1-D layers match tf.layers bit for bit (cpu)', () => {
  for (const variant of [patchEncoder, stridedValid]) {
    describe(variant.name, () => {
      let net: Net;
      let ref: tf.Sequential;
      let x: tf.Tensor3D;
      let target: tf.Tensor;
      beforeAll(() => {
        let s = 11;
        ({ net, ref } = variant.build(() => s++));
        x = tf.randomNormal([3, 37, net.inputShape[1] as number], 0, 1, 'float32', 5) as tf.Tensor3D;
        const out = net.apply(x, false);
        target = tf.randomNormal(out.shape, 0, 1, 'float32', 6);
        out.dispose();
      });
      afterAll(() => {
        net.dispose();
        ref.dispose();
        tf.dispose([x, target]);
      });

      it('has the same variables, names and initial values, in the same order', () => {
        const ours = [...net.trainableVariables()];
        const theirs = ref.trainableWeights;
        expect(ours.map(([k]) => k)).toEqual(theirs.map((w) => `${net.prefix}${w.originalName}`));
        for (const [i, [, v]] of ours.entries()) same(v, theirs[i]!.read());
        expect(net.outputShape).toEqual((ref.outputs[0]!.shape as (number | null)[]).slice(1));
      });

      it('gives the same output in training and inference mode', () => {
        for (const training of [true, false]) {
          const a = net.apply(x, training);
          const b = ref.apply(x, { training }) as tf.Tensor;
          same(a, b);
          tf.dispose([a, b]);
        }
      });

      it('gives the same gradients in the input and every weight', () => {
        const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, target)) as tf.Scalar;
        const ours = [...net.trainableVariables().values()];
        const theirs = ref.trainableWeights.map((w) => w.read() as tf.Variable);
        const gx = (f: (v: tf.Tensor) => tf.Tensor) => tf.grad((v: tf.Tensor) => loss(f(v)))(x);
        const a = gx((v) => net.apply(v, true));
        const b = gx((v) => ref.apply(v, { training: true }) as tf.Tensor);
        same(a, b);
        const ga = tf.variableGrads(() => loss(net.apply(x, true)), ours);
        const gb = tf.variableGrads(() => loss(ref.apply(x, { training: true }) as tf.Tensor), theirs);
        same(ga.value, gb.value);
        for (const [i, v] of ours.entries()) same(ga.grads[v.name]!, gb.grads[theirs[i]!.name]!);
        tf.dispose([a, b, ga.value, gb.value, ...Object.values(ga.grads), ...Object.values(gb.grads)]);
      });

      it('keeps the tensor count flat across applies and gradient steps', () => {
        const vars = [...net.trainableVariables().values()];
        expect(tensorsLeftBy(() => tf.dispose(net.apply(x, true)), 3)).toBe(0);
        expect(tensorsLeftBy(() => tf.dispose(net.apply(x, false)), 3)).toBe(0);
        const step = () => {
          const g = tf.variableGrads(() => tf.sum(tf.mul(net.apply(x, true), target)) as tf.Scalar, vars);
          tf.dispose([g.value, ...Object.values(g.grads)]);
        };
        expect(tensorsLeftBy(step, 3)).toBe(0);
      });

      it('exports to a tf.layers model with the same output', () => {
        const model = net.toLayersModel();
        try {
          const a = net.apply(x, false);
          const b = model.predict(x) as tf.Tensor;
          same(a, b);
          tf.dispose([a, b]);
        } finally {
          model.dispose();
        }
      });
    });
  }
});
