/**
 * The multimodal methods by name: what `autodidact pretrain multimodal --method <name>` builds
 * from a paired folder. CLIP's towers are those of the spoken-digit and description pairings
 * ({@link runClipExperiment}): a `conv-small` for the images, another for spectrograms, a
 * bag-of-tokens encoder four times as wide for texts.
 */
import { defineMethod, type Encoder, methodRegistry, type OptionSchema } from '@autodidact/core';
import { convSmallConfig, createConvSmall } from '@autodidact/vision';
import type * as tf from '@tensorflow/tfjs';
import { CLIP_DEFAULTS, Clip, type ClipOptions } from '../clip.js';
import { loadedPartner } from '../data/loaded-partner.js';
import type { PairedBatch } from '../data/paired-dataset.js';
import { BagOfTokensEncoder, bagOfTokensConfig } from '../encoders/bag-of-tokens-encoder.js';

/** Options of the `clip` method: {@link ClipOptions} and the towers' width. */
export interface ClipMethodOptions extends ClipOptions {
  /** First-stage channels of the conv towers; the text tower is 4x as wide. Default 16. */
  width: number;
}

/** Defaults of {@link ClipMethodOptions}. */
export const CLIP_METHOD_DEFAULTS: Readonly<ClipMethodOptions> = { ...CLIP_DEFAULTS, width: 16 };

/** Type, bounds and meaning of each option of {@link ClipMethodOptions}. */
export const CLIP_METHOD_SCHEMA: OptionSchema<ClipMethodOptions> = {
  projectionDim: { type: 'integer', min: 1, description: 'width of the shared embedding space' },
  initLogScale: { type: 'number', description: 'initial log of the logit scale (log(1/0.07))' },
  maxScale: { type: 'number', above: 0, description: 'upper bound of the logit scale' },
  width: {
    type: 'integer',
    min: 1,
    max: 1024,
    description: 'first-stage channels of the conv towers (images, spectrograms); the text tower is 4x as wide',
  },
};

/** The multimodal methods, in `--help` order. */
export const methods = methodRegistry<PairedBatch>('multimodal method', [
  defineMethod<ClipMethodOptions, PairedBatch>({
    name: 'clip',
    modality: 'multimodal',
    summary: 'CLIP: image and sound / text towers, symmetric InfoNCE with a learned temperature (Radford et al. 2021)',
    defaults: CLIP_METHOD_DEFAULTS,
    schema: CLIP_METHOD_SCHEMA,
    // runClipExperiment's settings: Adam at a constant 2e-3 (tfjs's epsilon), 64 pairs a step.
    trainerDefaults: {
      batchSize: 64,
      epochs: 1,
      optimizer: { name: 'adam', lr: 2e-3, eps: 1e-7 },
      schedule: { kind: 'constant' },
    },
    minBatchSize: { size: 2, reason: "CLIP's InfoNCE contrasts each pair with the other pairs of its batch" },
    create: ({ sampleShape, options, rng }) => {
      const partner = loadedPartner();
      const { width, ...clip } = options;
      const image = createConvSmall(convSmallConfig(sampleShape, { width, blocks: 3 }), rng, 'image/');
      const other: Encoder<tf.Tensor> =
        partner.kind === 'audio'
          ? createConvSmall(convSmallConfig(partner.shape, { width, blocks: 3 }), rng, 'audio/')
          : new BagOfTokensEncoder(bagOfTokensConfig(partner.vocab, 4 * width), rng, 'text/');
      return new Clip(image, other, rng, clip);
    },
  }),
]);
