import { type MethodSpec, Registry } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { CPC, CPC_DEFAULTS, CPC_MIN_BATCH } from './cpc.js';
import { MASKED_NUCLEOTIDE_DEFAULTS, MaskedNucleotide } from './masked-nucleotide.js';
import { SELF_GENOMENET_DEFAULTS, SelfGenomeNet, SELF_GENOMENET_MIN_BATCH } from './self-genomenet.js';

/** DNA methods by name: what `autodidact pretrain genomics --method <name>` builds. */
export const methods = new Registry<MethodSpec<tf.Tensor>>('genomics method');

// Adam (as the Self-GenomeNet paper) with a short warm-up and cosine decay; CPU-sized batches.
const trainerDefaults = {
  batchSize: 64,
  epochs: 1,
  optimizer: { name: 'adam', lr: 2e-3 },
  schedule: { kind: 'cosine', warmupSteps: 20, minLrRatio: 0.05 },
} as const;

methods.register({
  name: 'self-genomenet',
  description:
    'Self-GenomeNet: context predicts the reverse complement of the rest of the sequence (Gündüz et al. 2023)',
  defaultOptions: SELF_GENOMENET_DEFAULTS,
  trainerDefaults,
  minBatchSize: SELF_GENOMENET_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new SelfGenomeNet(sampleShape, options, rng),
});
methods.register({
  name: 'cpc',
  description: 'CPC: GRU context predicts later patch latents, InfoNCE (van den Oord et al. 2018)',
  defaultOptions: CPC_DEFAULTS,
  trainerDefaults,
  minBatchSize: CPC_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new CPC(sampleShape, options, rng),
});
methods.register({
  name: 'mlm',
  description: 'masked-nucleotide modelling: predict masked bases (BERT-style, Devlin et al. 2019)',
  defaultOptions: MASKED_NUCLEOTIDE_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new MaskedNucleotide(sampleShape, options, rng),
});
