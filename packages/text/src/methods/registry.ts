import { type MethodSpec, Registry } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { CausalLm, CLM_DEFAULTS } from './clm.js';
import { DATA2VEC_TEXT_DEFAULTS, Data2VecText } from './data2vec.js';
import { MaskedLm, MLM_DEFAULTS } from './mlm.js';
import { SIMCSE_DEFAULTS, SimCse } from './simcse.js';

/** Text methods by name: what `autodidact pretrain text --method <name>` builds. */
export const methods = new Registry<MethodSpec<tf.Tensor>>('text method');

// Adam with warm-up, cosine decay and clipping: the usual small-transformer recipe.
const trainerDefaults = {
  batchSize: 32,
  epochs: 1,
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { kind: 'cosine', warmupSteps: 50, minLrRatio: 0.1 },
  clipGradNorm: 1,
} as const;

methods.register({
  name: 'mlm',
  description: 'masked LM: predict 15% corrupted tokens (80% mask, 10% random, 10% kept) (Devlin et al. 2019)',
  defaultOptions: MLM_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new MaskedLm(sampleShape, options, rng),
});
methods.register({
  name: 'clm',
  description: 'causal LM: predict the next token through causal attention (Radford et al. 2018)',
  defaultOptions: CLM_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new CausalLm(sampleShape, options, rng),
});
methods.register({
  name: 'simcse',
  description:
    'SimCSE (unsupervised): the same text twice under different dropout masks is the positive pair, in-batch negatives, cosine / T InfoNCE (Gao, Yao & Chen 2021)',
  defaultOptions: SIMCSE_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new SimCse(sampleShape, options, rng),
});
methods.register({
  name: 'data2vec',
  description:
    "data2vec: regress the layer-normed average of an EMA teacher's top blocks at BERT-masked tokens (Baevski et al. 2022)",
  defaultOptions: DATA2VEC_TEXT_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Data2VecText(sampleShape, options, rng),
});
