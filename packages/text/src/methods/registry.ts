import { defineMethod, methodRegistry } from '@autodidact/core';
import { CausalLm, CLM_DEFAULTS, CLM_SCHEMA } from './clm.js';
import { DATA2VEC_TEXT_DEFAULTS, Data2VecText, DATA2VEC_TEXT_SCHEMA } from './data2vec.js';
import { MaskedLm, MLM_DEFAULTS, MLM_SCHEMA } from './mlm.js';
import { SIMCSE_DEFAULTS, SimCse, SIMCSE_SCHEMA } from './simcse.js';

// Adam with warm-up, cosine decay and clipping: the usual small-transformer recipe.
const trainerDefaults = {
  batchSize: 32,
  epochs: 1,
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { kind: 'cosine', warmupSteps: 50, minLrRatio: 0.1 },
  clipGradNorm: 1,
} as const;

/** Text methods by name: what `autodidact pretrain text --method <name>` builds. */
export const methods = methodRegistry('text method', [
  defineMethod({
    name: 'mlm',
    modality: 'text',
    summary: 'masked LM: predict 15% corrupted tokens (80% mask, 10% random, 10% kept) (Devlin et al. 2019)',
    defaults: MLM_DEFAULTS,
    schema: MLM_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new MaskedLm(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'clm',
    modality: 'text',
    summary: 'causal LM: predict the next token through causal attention (Radford et al. 2018)',
    defaults: CLM_DEFAULTS,
    schema: CLM_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new CausalLm(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'simcse',
    modality: 'text',
    summary:
      'SimCSE (unsupervised): the same text twice under different dropout masks is the positive pair, in-batch negatives, cosine / T InfoNCE (Gao, Yao & Chen 2021)',
    defaults: SIMCSE_DEFAULTS,
    schema: SIMCSE_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new SimCse(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'data2vec',
    modality: 'text',
    summary:
      "data2vec: regress the layer-normed average of an EMA teacher's top blocks at BERT-masked tokens (Baevski et al. 2022)",
    defaults: DATA2VEC_TEXT_DEFAULTS,
    schema: DATA2VEC_TEXT_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new Data2VecText(sampleShape, options, rng),
  }),
]);
