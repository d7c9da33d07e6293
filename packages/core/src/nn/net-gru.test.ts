/**
 * The GRU layer of a Net against tf.layers' GRU built with the same seeded initialisers, on
 * tfjs's cpu backend: initial weights, outputs in training and inference mode (every step and
 * last step only), gradients in the input and every weight, bit for bit; flat tensor counts;
 * the exported tf.layers model gives the same output.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy } from '../test-support/tensor-count.js';
import { type Net, NetBuilder } from './net.js';
import { gru } from './net-layers.js';

const same = (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Variant {
  name: string;
  inDim: number;
  units: number;
  returnSequences: boolean;
  useBias: boolean;
}

const VARIANTS: Variant[] = [
  // CPC's context network: every step's state.
  { name: 'every step, with bias', inDim: 7, units: 5, returnSequences: true, useBias: true },
  { name: 'last step, without bias', inDim: 4, units: 6, returnSequences: false, useBias: false },
  { name: 'one unit', inDim: 3, units: 1, returnSequences: true, useBias: true },
];

describe('Net gru matches tf.layers GRU bit for bit (cpu)', () => {
  for (const v of VARIANTS) {
    describe(v.name, () => {
      let net: Net;
      let ref: tf.Sequential;
      let x: tf.Tensor3D;
      let target: tf.Tensor;
      beforeAll(() => {
        const init = () => ({
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }),
        });
        const b = new NetBuilder('context_gru', 'encoder/', [null, v.inDim]);
        const layer = gru({ units: v.units, returnSequences: v.returnSequences, useBias: v.useBias, ...init() });
        net = b.build(b.apply('ctx_gru', layer, b.input()));
        ref = tf.sequential({
          layers: [
            tf.layers.gru({
              name: 'ctx_gru',
              units: v.units,
              returnSequences: v.returnSequences,
              useBias: v.useBias,
              inputShape: [null, v.inDim],
              ...init(),
            }),
          ],
        });
        // A non-zero bias, so that its gradient path is exercised with values that matter.
        if (v.useBias) {
          const bias = tf.randomNormal([3 * v.units], 0, 0.5, 'float32', 9);
          net.trainableVariables().get('encoder/ctx_gru/bias')!.assign(bias);
          ref.layers[0]!.weights[2]!.write(bias);
          bias.dispose();
        }
        x = tf.randomNormal([3, 9, v.inDim], 0, 1.5, 'float32', 5) as tf.Tensor3D;
        const out = net.apply(x, false);
        target = tf.randomNormal(out.shape, 0, 1, 'float32', 6);
        out.dispose();
      });
      afterAll(() => {
        net.dispose();
        ref.dispose();
        tf.dispose([x, target]);
      });

      it('has the same variables, names and values, in the same order', () => {
        const ours = [...net.trainableVariables()];
        const theirs = ref.trainableWeights;
        expect(ours.map(([k]) => k)).toEqual(theirs.map((w) => `encoder/${w.originalName}`));
        for (const [i, [, w]] of ours.entries()) same(w, theirs[i]!.read());
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
        const gx = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => loss(f(t)))(x);
        const a = gx((t) => net.apply(t, true));
        const b = gx((t) => ref.apply(t, { training: true }) as tf.Tensor);
        same(a, b);
        const ga = tf.variableGrads(() => loss(net.apply(x, true)), ours);
        const gb = tf.variableGrads(() => loss(ref.apply(x, { training: true }) as tf.Tensor), theirs);
        same(ga.value, gb.value);
        expect(ours.length).toBe(v.useBias ? 3 : 2);
        for (const [i, w] of ours.entries()) same(ga.grads[w.name]!, gb.grads[theirs[i]!.name]!);
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
