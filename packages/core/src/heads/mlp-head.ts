/**
 * The MLP heads of joint-embedding methods: `hidden` (dense without bias - batch norm - ReLU)
 * then a linear output, as SimCLR's projector and BYOL's projector and predictor.
 */
import type { Rng } from '../random/rng.js';
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from '../nn/batch-norm.js';
import { LayersModule } from '../methods/layers-module.js';

/**
 * An MLP head `[batch, inputDim] -> [batch, outputDim]`: dense (no bias, `hidden` units), batch
 * norm, ReLU, dense. Its variables are named under `prefix`.
 */
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
