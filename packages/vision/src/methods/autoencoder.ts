/**
 * Autoencoder (Hinton & Salakhutdinov 2006), optionally denoising (Vincent et al. 2008): the
 * encoder maps an image to an embedding, a decoder maps it back, and the loss is the
 * reconstruction error of the clean image (binary cross-entropy on logits, or MSE). With
 * `noise` > 0 or `maskRatio` > 0 the encoder sees a corrupted input.
 */
import { type LossOutput, type Method, reconstruction, type Rng, type StepContext } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type LayersEncoder, LayersModule } from '@autodidact/core';
import { mergeVariables } from '@autodidact/core';
import { resolveOptions } from './options.js';
import { buildEncoder, IMAGE_METHOD_DEFAULTS } from './view-options.js';

export const AUTOENCODER_DEFAULTS = {
  encoder: IMAGE_METHOD_DEFAULTS.encoder,
  width: IMAGE_METHOD_DEFAULTS.width,
  /** `bce` (pixels in [0, 1]) or `mse`. */
  loss: 'bce',
  /** Std of Gaussian noise added to the encoder's input (denoising). */
  noise: 0.2,
  /** Fraction of pixels zeroed in the encoder's input (masking). */
  maskRatio: 0,
  /** `conv` (transposed convolutions; needs sides divisible by 4) or `dense`. */
  decoder: 'conv',
};
export type AutoencoderOptions = typeof AUTOENCODER_DEFAULTS;

/** Decoder: dense to a quarter-resolution map, two stride-2 transposed convs (or dense, if the size is not divisible by 4). */
function buildDecoder(dim: number, shape: number[], kind: string, rng: Rng): tf.Sequential {
  const [h, w, c] = shape as [number, number, number];
  const seed = () => tf.initializers.glorotUniform({ seed: rng.seed() });
  if (kind === 'conv' && h % 4 === 0 && w % 4 === 0) {
    return tf.sequential({
      name: 'decoder',
      layers: [
        tf.layers.dense({ name: 'dense', units: (h / 4) * (w / 4) * 32, inputShape: [dim], kernelInitializer: seed() }),
        tf.layers.reLU({ name: 'relu0' }),
        tf.layers.reshape({ name: 'reshape', targetShape: [h / 4, w / 4, 32] }),
        tf.layers.conv2dTranspose({
          name: 'deconv1',
          filters: 32,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          kernelInitializer: seed(),
        }),
        tf.layers.reLU({ name: 'relu1' }),
        tf.layers.conv2dTranspose({
          name: 'deconv2',
          filters: c,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          kernelInitializer: seed(),
        }),
      ],
    });
  }
  return tf.sequential({
    name: 'decoder',
    layers: [
      tf.layers.dense({ name: 'dense', units: 512, inputShape: [dim], activation: 'relu', kernelInitializer: seed() }),
      tf.layers.dense({ name: 'out', units: h * w * c, kernelInitializer: seed() }),
      tf.layers.reshape({ name: 'reshape', targetShape: [h, w, c] }),
    ],
  });
}

export class Autoencoder implements Method<tf.Tensor> {
  readonly name = 'autoencoder';
  readonly options: AutoencoderOptions;
  readonly encoder: LayersEncoder;
  readonly decoder: LayersModule;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<AutoencoderOptions>, rng: Rng) {
    this.options = resolveOptions('autoencoder', AUTOENCODER_DEFAULTS, options);
    const o = this.options;
    this.encoder = buildEncoder({ ...IMAGE_METHOD_DEFAULTS, encoder: o.encoder, width: o.width }, sampleShape, rng);
    this.decoder = new LayersModule(
      buildDecoder(this.encoder.config.outputDim, sampleShape, o.decoder, rng),
      'decoder/',
    );
    this.objective = reconstruction({ kind: o.loss === 'mse' ? 'mse' : 'bce' });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.decoder.trainableVariables());
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.decoder.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const { noise, maskRatio } = this.options;
    let input = batch;
    if (noise > 0) input = tf.add(input, tf.randomNormal(batch.shape, 0, noise, 'float32', ctx.rng.seed()));
    if (maskRatio > 0) {
      input = tf.mul(
        input,
        tf.cast(tf.greaterEqual(tf.randomUniform(batch.shape, 0, 1, 'float32', ctx.rng.seed()), maskRatio), 'float32'),
      );
    }
    const out = this.decoder.model.apply(this.encoder.apply(input, true), { training: true }) as tf.Tensor;
    const prediction = this.options.loss === 'mse' ? tf.sigmoid(out) : out;
    return { loss: this.objective.compute({ prediction, target: batch }) };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
