/**
 * The encoder the masked-prediction methods (wav2vec 2.0, data2vec) train: the conv feature
 * encoder and a transformer context network whose masked frames are replaced by the learned
 * mask embedding, trained on random crops long enough to mask spans in.
 */
import { ConfigError } from '@autodidact/core';
import type { AudioAugmentation } from '../augment/augmentation.js';
import { trainingCrop } from '../augment/random-crop.js';
import { type AudioEncoderConfig, audioEncoderConfig } from '../encoders/audio-encoder.js';
import { featureFrames } from '../encoders/conv-feature-encoder.js';

/** The options of the masked-prediction methods that shape the encoder and its training crop. */
export interface MaskedEncoderOptions {
  width: number;
  contextDim: number;
  contextLayers: number;
  heads: number;
  pooling: 'latent+context' | 'context';
  cropSamples: number;
}

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
