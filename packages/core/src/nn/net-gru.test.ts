/**
 * The GRU layer of a Net against tf.layers' GRU built with the same seeded initialisers, on
 * tfjs's cpu backend: initial weights, outputs in training and inference mode (every step and
 * last step only), gradients in the input and every weight, bit for bit; flat tensor counts;
 * the exported tf.layers model gives the same output.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect } from 'vitest';
import { itMatchesTwin } from '../test-support/net-twin.js';
import { NetBuilder } from './net.js';
import { gru } from './net-layers.js';

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
      itMatchesTwin(() => {
        const init = () => ({
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }),
        });
        const b = new NetBuilder('context_gru', 'encoder/', [null, v.inDim]);
        const layer = gru({ units: v.units, returnSequences: v.returnSequences, useBias: v.useBias, ...init() });
        const net = b.build(b.apply('ctx_gru', layer, b.input()));
        const ref = tf.sequential({
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
        expect(net.trainableVariables().size).toBe(v.useBias ? 3 : 2);
        // A non-zero bias, so that its gradient path is exercised with values that matter.
        if (v.useBias) {
          const bias = tf.randomNormal([3 * v.units], 0, 0.5, 'float32', 9);
          net.trainableVariables().get('encoder/ctx_gru/bias')!.assign(bias);
          ref.layers[0]!.weights[2]!.write(bias);
          bias.dispose();
        }
        const x = tf.randomNormal([3, 9, v.inDim], 0, 1.5, 'float32', 5) as tf.Tensor3D;
        const out = net.apply(x, false);
        const target = tf.randomNormal(out.shape, 0, 1, 'float32', 6);
        out.dispose();
        return { net, ref, x, target };
      });
    });
  }
});
