import {
  adamWarmupCosineDefaults,
  methodDefiner,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type TrainerOptions,
} from '@autodidact/core';
import { RcConvGruEncoder, rcConvGruConfig } from '../encoders/rc-conv-gru.js';

/** Adam (as the Self-GenomeNet paper) with a short warm-up and cosine decay; CPU-sized batches. */
export const GENOMICS_TRAINER_DEFAULTS: Partial<TrainerOptions> = adamWarmupCosineDefaults(64, 2e-3);

/**
 * A DNA method's definition (`modality: 'genomics'`; {@link GENOMICS_TRAINER_DEFAULTS} unless it
 * gives its own): what `autodidact pretrain genomics --method <name>` builds.
 */
export const genomicsMethod = methodDefiner('genomics', GENOMICS_TRAINER_DEFAULTS);

/** Encoder options every DNA method takes (see rc-conv-gru.ts): type, bounds, meaning and default of each. */
export const DNA_ENCODER_OPTIONS = {
  width: { type: 'integer', default: 64, min: 1, description: 'Conv channels (patch latent width).' },
  kernelSize: { type: 'integer', default: 9, min: 1, description: 'First conv kernel, bases.' },
  patchLength: {
    type: 'integer',
    default: 16,
    min: 1,
    description: 'Bases per patch (a square: two equal max-pools).',
  },
  hidden: { type: 'integer', default: 64, min: 1, description: 'GRU context units.' },
  rcInvariant: { type: 'boolean', default: true, description: 'Strand-averaged embedding.' },
} satisfies OptionTable;
/** Options of the encoder ({@link DNA_ENCODER_OPTIONS}). */
export type DnaEncoderOptions = OptionsOf<typeof DNA_ENCODER_OPTIONS>;

/** The random strand flip of the input windows, as CPC and masked-nucleotide modelling train. */
export const RC_PROBABILITY_OPTIONS = {
  rcProbability: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    description: 'Probability of reverse-complementing an input window.',
  },
} satisfies OptionTable;

/** Point mutations of the input windows, off by default (CPC; Self-GenomeNet describes its own). */
export const MUTATION_RATE_OPTIONS = {
  mutationRate: {
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    description: 'Point-mutation rate applied to the input windows (0: off).',
  },
} satisfies OptionTable;

/** Builds the rc-conv-gru encoder from a method's options. */
export function buildEncoder(o: DnaEncoderOptions, sampleShape: number[], rng: Rng): RcConvGruEncoder {
  const config = rcConvGruConfig(sampleShape, {
    width: o.width,
    kernelSize: o.kernelSize,
    patchLength: o.patchLength,
    hidden: o.hidden,
    rcInvariant: o.rcInvariant,
  });
  return new RcConvGruEncoder(config, rng);
}
