import { type MethodSpec, Registry } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { CPC_DEFAULTS, createCpc } from './cpc.js';
import { DATA2VEC_AUDIO_DEFAULTS, Data2VecAudio } from './data2vec.js';
import { createWav2vec, WAV2VEC_DEFAULTS } from './wav2vec.js';
import { WAV2VEC2_DEFAULTS, Wav2vec2 } from './wav2vec2.js';

/** Audio methods by name: what `autodidact pretrain audio --method <name>` builds. */
export const methods = new Registry<MethodSpec<tf.Tensor>>('audio method');

// Adam with a short warm-up and cosine decay; batches of 16 clips fit CPU budgets.
const trainerDefaults = {
  batchSize: 16,
  epochs: 1,
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { kind: 'cosine', warmupSteps: 20, minLrRatio: 0.05 },
} as const;

methods.register({
  name: 'wav2vec2',
  description:
    'wav2vec 2.0: masked spans, transformer context, Gumbel product-quantized targets, contrastive + diversity loss (Baevski et al. 2020)',
  defaultOptions: WAV2VEC2_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Wav2vec2(sampleShape, options, rng),
});
methods.register({
  name: 'wav2vec',
  description:
    'wav2vec: causal conv context predicts future latents vs distractors, binary loss (Schneider et al. 2019)',
  defaultOptions: WAV2VEC_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => createWav2vec(sampleShape, options, rng),
});
methods.register({
  name: 'cpc',
  description: 'CPC: GRU context predicts future latents vs distractors, InfoNCE (van den Oord et al. 2018)',
  defaultOptions: CPC_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => createCpc(sampleShape, options, rng),
});
methods.register({
  name: 'data2vec',
  description:
    "data2vec: masked spans, regress the instance-normed average of an EMA teacher's top transformer blocks (Baevski et al. 2022)",
  defaultOptions: DATA2VEC_AUDIO_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Data2VecAudio(sampleShape, options, rng),
});
