/**
 * The encoder the masked-prediction methods (wav2vec 2.0, data2vec) train: the conv feature
 * encoder and a transformer context network whose masked frames are replaced by the learned
 * mask embedding, trained on random crops long enough to mask spans in.
 */
import { ConfigError, type OptionSchema } from '@autodidact/core';
import type { AudioAugmentation } from '../augment/augmentation.js';
import { trainingCrop } from '../augment/random-crop.js';
import { type AudioEncoderConfig, audioEncoderConfig } from '../encoders/audio-encoder.js';
import { featureFrames } from '../encoders/conv-feature-encoder.js';

/**
 * The encoder's size, the same in both methods so that their runs compare like for like
 * (published BASE: 512 channels, 12 blocks of 768, 12 heads; scaled down for CPU).
 */
export const MASKED_ENCODER_DEFAULTS = {
  width: 64,
  contextDim: 64,
  contextLayers: 2,
  heads: 4,
};

/** Type, bounds and meaning of the widths and the depth (each method describes its `heads`). */
export const MASKED_ENCODER_SCHEMA: OptionSchema<Omit<typeof MASKED_ENCODER_DEFAULTS, 'heads'>> = {
  width: { type: 'integer', min: 1, description: 'Feature-encoder channels (512 published).' },
  contextDim: { type: 'integer', min: 1, description: 'Transformer width (768 BASE).' },
  contextLayers: { type: 'integer', min: 1, description: 'Transformer blocks (12 BASE).' },
};

/** The training crop and the embedding probes read. */
export const MASKED_CROP_DEFAULTS = {
  cropSamples: 9600,
  pooling: 'latent+context' as 'latent+context' | 'normed-latent+context' | 'context',
};

/** Type, bounds and meaning of each option of {@link MASKED_CROP_DEFAULTS}. */
export const MASKED_CROP_SCHEMA: OptionSchema<typeof MASKED_CROP_DEFAULTS> = {
  cropSamples: { type: 'integer', min: 0, description: 'Training crop in samples (0: the whole clip).' },
  pooling: {
    type: 'enum',
    choices: ['latent+context', 'normed-latent+context', 'context'],
    description:
      'Embedding for probes: mean latent and mean context side by side (normed-: each latent frame standardised first), or the mean context only.',
  },
};

/** The options of the masked-prediction methods that shape the encoder and its training crop. */
export type MaskedEncoderOptions = typeof MASKED_ENCODER_DEFAULTS & typeof MASKED_CROP_DEFAULTS;

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
