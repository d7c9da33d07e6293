/**
 * The encoder the masked-prediction methods (wav2vec 2.0, data2vec) train: the conv feature
 * encoder and a transformer context network whose masked frames are replaced by the learned
 * mask embedding, trained on random crops long enough to mask spans in; and the start of both
 * methods' training step, the crop's latent frames and the spans of them to mask.
 */
import { ConfigError, type OptionsOf, type OptionTable, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { AudioAugmentation } from '../augment/augmentation.js';
import { trainingCrop } from '../augment/random-crop.js';
import { type AudioEncoder, type AudioEncoderConfig, audioEncoderConfig } from '../encoders/audio-encoder.js';
import { featureFrames } from '../encoders/conv-feature-encoder.js';
import { spanMask } from './span-mask.js';

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

/**
 * The spans masked (span-mask.ts), wav2vec 2.0's p and M in both methods: the share of frames
 * that start a span, which each method describes (`maskProb`), and the span length.
 */
export function spanMaskOptions(maskProb: string) {
  return {
    maskProb: { type: 'number', default: 0.065, min: 0, max: 1, description: maskProb },
    maskLength: { type: 'integer', default: 10, min: 1, description: 'Span length M in frames.' },
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

/** A training batch of a masked-prediction method, before its transformer context (see {@link maskedLatents}). */
export interface MaskedLatents {
  /** The clips the encoder read `[b, samples]`: the batch, or its random crops. */
  x: tf.Tensor2D;
  /** Their latent frames `[b, t, width]`. */
  z: tf.Tensor3D;
  /** The frames to mask `[b * t]` (1 = masked), row-major by clip. */
  maskBits: Uint8Array;
  /** The same mask as a tensor `[b, t]`, as the context network takes it. */
  mask: tf.Tensor2D;
}

/**
 * The first half of a masked-prediction training step: the batch cropped at random (`crop`;
 * undefined: whole clips), its latent frames from `encoder` (in training mode), and spans of
 * those frames to mask (span-mask.ts, p = `maskProb`, M = `maskLength`). `rng` draws the crop
 * first, then the spans. Call inside `tf.tidy`.
 */
export function maskedLatents(
  encoder: AudioEncoder,
  crop: AudioAugmentation | undefined,
  batch: tf.Tensor,
  o: { maskProb: number; maskLength: number },
  rng: Rng,
): MaskedLatents {
  const x = crop ? crop(batch as tf.Tensor2D, rng) : (batch as tf.Tensor2D);
  const z = encoder.encode(x, true);
  const [b, t] = z.shape;
  const maskBits = spanMask(b, t, o.maskProb, o.maskLength, rng);
  return { x, z, maskBits, mask: tf.tensor2d(Float32Array.from(maskBits), [b, t]) };
}
