/**
 * A multilayer perceptron encoder on flattened images: dense - batch norm - ReLU per hidden
 * layer, then a linear output. Cheap on every backend; the baseline encoder for quick runs.
 */
import { ConfigError, type EncoderConfig, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, LayersEncoder, seededGlorot } from '@autodidact/core';

/** Options of `mlp`. */
export interface MlpConfig extends EncoderConfig {
  kind: 'mlp';
  /** Hidden layer widths. Default [512]. */
  hidden: number[];
}

/** Fills the defaults of an `mlp` config. */
export function mlpConfig(inputShape: number[], options: Partial<MlpConfig> = {}): MlpConfig {
  const hidden = options.hidden ?? [512];
  const outputDim = options.outputDim ?? 128;
  if (!hidden.every((h) => Number.isInteger(h) && h > 0))
    throw new ConfigError(`expected positive widths`, { field: 'hidden' });
  return { kind: 'mlp', modality: 'vision', inputShape, hidden, outputDim };
}

/** Builds an `mlp` encoder, initialised from `rng`. */
export function createMlp(config: MlpConfig, rng: Rng, prefix = 'encoder/'): LayersEncoder {
  const layers: tf.layers.Layer[] = [tf.layers.flatten({ name: 'flatten', inputShape: config.inputShape })];
  config.hidden.forEach((units, i) => {
    layers.push(
      tf.layers.dense({ name: `dense${i + 1}`, units, useBias: false, kernelInitializer: seededGlorot(rng.seed()) }),
      batchNormalization({ name: `bn${i + 1}`, momentum: 0.9, epsilon: 1e-5 }),
      tf.layers.reLU({ name: `relu${i + 1}` }),
    );
  });
  layers.push(tf.layers.dense({ name: 'out', units: config.outputDim, kernelInitializer: seededGlorot(rng.seed()) }));
  return new LayersEncoder(config, tf.sequential({ name: 'mlp', layers }), prefix);
}
