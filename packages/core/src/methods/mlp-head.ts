/**
 * The MLP heads of joint-embedding methods: `hidden` (dense without bias - batch norm - ReLU)
 * then a linear output, as SimCLR's projector and BYOL's projector and predictor.
 */
import type { Rng } from '../random/rng.js';
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from '../nn/batch-norm.js';
import { LayersModule } from './layers-module.js';

export class MlpHead extends LayersModule {
  constructor(prefix: string, inputDim: number, hidden: number, outputDim: number, rng: Rng) {
    const model = tf.sequential({
      name: prefix.replace(/\W/g, '_'),
      layers: [
        tf.layers.dense({
          name: 'dense1',
          units: hidden,
          useBias: false,
          inputShape: [inputDim],
          kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }),
        }),
        batchNormalization({ name: 'bn1', momentum: 0.9, epsilon: 1e-5 }),
        tf.layers.reLU({ name: 'relu1' }),
        tf.layers.dense({
          name: 'dense2',
          units: outputDim,
          kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }),
        }),
      ],
    });
    super(model, prefix);
  }

  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return this.model.apply(x, { training }) as tf.Tensor2D;
  }
}

/** Merges variable maps, refusing duplicate names. */
export function mergeVariables(...maps: Map<string, tf.Variable>[]): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const m of maps) {
    for (const [k, v] of m) {
      if (out.has(k)) throw new Error(`duplicate variable name ${k}`);
      out.set(k, v);
    }
  }
  return out;
}

/** The same variables under `prefix` + name (to keep a target network's names apart). */
export function prefixed(prefix: string, m: Map<string, tf.Variable>): Map<string, tf.Variable> {
  return new Map([...m].map(([k, v]) => [`${prefix}${k}`, v]));
}
