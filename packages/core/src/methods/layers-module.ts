import type { Encoder, EncoderConfig } from './encoder.js';
import * as tf from '@tensorflow/tfjs';

/**
 * Variables of a tf.layers model by stable name: `<prefix><layer>/<weight>` (the layers'
 * original names, which tfjs does not uniquify), so two instances of the same architecture
 * (an online and an EMA target network, a restored model) share names.
 */
export function namedLayerVariables(
  model: tf.LayersModel,
  prefix: string,
  which: 'trainable' | 'all',
): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const w of which === 'trainable' ? model.trainableWeights : model.weights) {
    out.set(`${prefix}${w.originalName}`, w.read() as tf.Variable);
  }
  return out;
}

/** A tf.layers model whose variables are known by stable, prefixed names. */
export class LayersModule {
  constructor(
    readonly model: tf.LayersModel,
    /** Prefix of every variable name (`encoder/`, `projector/`, ...). */
    readonly prefix: string,
  ) {}

  trainableVariables(): Map<string, tf.Variable> {
    return namedLayerVariables(this.model, this.prefix, 'trainable');
  }

  allVariables(): Map<string, tf.Variable> {
    return namedLayerVariables(this.model, this.prefix, 'all');
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** An `Encoder` backed by a tf.layers model whose output is `[batch, dim]`. */
export class LayersEncoder extends LayersModule implements Encoder<tf.Tensor> {
  constructor(
    readonly config: EncoderConfig,
    model: tf.LayersModel,
    prefix = 'encoder/',
  ) {
    super(model, prefix);
  }

  apply(batch: tf.Tensor, training: boolean): tf.Tensor2D {
    return this.model.apply(batch, { training }) as tf.Tensor2D;
  }
}

/** A Glorot-uniform initialiser seeded from the run's generator (deterministic builds). */
export function seededGlorot(seed: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed });
}

/** A He-normal initialiser (for ReLU convs) seeded from the run's generator. */
export function seededHe(seed: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.heNormal({ seed });
}
