/**
 * The encoder the masked-prediction methods (wav2vec 2.0, data2vec) train: the conv feature
 * encoder and a transformer context network whose masked frames are replaced by the learned
 * mask embedding, trained on random crops long enough to mask spans in.
 */
import { ConfigError, type OptionsOf, type OptionTable } from '@autodidact/core';
import type { AudioAugmentation } from '../augment/augmentation.js';
import { trainingCrop } from '../augment/random-crop.js';
import { type AudioEncoderConfig, audioEncoderConfig } from '../encoders/audio-encoder.js';
import { featureFrames } from '../encoders/conv-feature-encoder.js';

/**
 * The encoder's size, the same in both methods so that their runs compare like for like
 * (published BASE: 512 channels, 12 blocks of 768, 12 heads; scaled down for CPU): the widths,
 * the depth and the heads, which each method describes (`heads`).
 */
export function maskedEncoderOptions(heads: string) {
  return {
    width: { type: 'integer', default: 64, min: 1, description: 'Feature-encoder channels (512 published).' },
    contextDim: { type: 'integer', default: 64, min: 1, description: 'Transformer width (768 BASE).' },
    contextLayers: { type: 'integer', default: 2, min: 1, description: 'Transformer blocks (12 BASE).' },
    heads: { type: 'integer', default: 4, min: 1, description: heads },
  } satisfies OptionTable;
}

/** The embedding the probes read (`pooling`). */
export type MaskedPooling = 'latent+context' | 'normed-latent+context' | 'context';

/** The training crop and the embedding probes read. */
export const MASKED_CROP_OPTIONS = {
  cropSamples: { type: 'integer', default: 9600, min: 0, description: 'Training crop in samples (0: the whole clip).' },
  pooling: {
    type: 'enum',
    choices: ['latent+context', 'normed-latent+context', 'context'],
    default: 'latent+context' as MaskedPooling,
    description:
      'Embedding for probes: mean latent and mean context side by side (normed-: each latent frame standardised first), or the mean context only.',
  },
} satisfies OptionTable;

/** The options of the masked-prediction methods that shape the encoder and its training crop. */
export type MaskedEncoderOptions = OptionsOf<ReturnType<typeof maskedEncoderOptions>> &
  OptionsOf<typeof MASKED_CROP_OPTIONS>;

/** The transformer encoder's configuration for clips of `samples`. */
export function maskedEncoderConfig(samples: number, o: MaskedEncoderOptions): AudioEncoderConfig {
  return audioEncoderConfig(samples, {
    width: o.width,
    contextDim: o.contextDim,
    context: 'transformer',
    contextLayers: o.contextLayers,
    heads: o.heads,
    pooling: o.pooling,
  });
}

/**
 * The random training crop of `o.cropSamples` (undefined: whole clips of `samples`).
 * @throws ConfigError when a crop gives the encoder of `config` fewer than 4 latent frames.
 */
export function maskedTrainingCrop(
  samples: number,
  o: MaskedEncoderOptions,
  config: AudioEncoderConfig,
): AudioAugmentation | undefined {
  const { length, crop } = trainingCrop(o.cropSamples, samples);
  if (featureFrames(length, config.kernels, config.strides) < 4) {
    throw new ConfigError(`crops of ${length} samples are too short to mask`, { field: 'cropSamples' });
  }
  return crop;
}
