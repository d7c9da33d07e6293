import { adamWarmupCosineDefaults, defineMethod, methodRegistry } from '@autodidact/core';
import { CPC_DEFAULTS, createCpc, CPC_SCHEMA } from './cpc.js';
import { DATA2VEC_AUDIO_DEFAULTS, Data2VecAudio, DATA2VEC_AUDIO_SCHEMA } from './data2vec.js';
import { createWav2vec, WAV2VEC_DEFAULTS, WAV2VEC_SCHEMA } from './wav2vec.js';
import { WAV2VEC2_DEFAULTS, Wav2vec2, WAV2VEC2_SCHEMA } from './wav2vec2.js';

// Adam with a short warm-up and cosine decay; batches of 16 clips fit CPU budgets.
const trainerDefaults = adamWarmupCosineDefaults(16, 1e-3);

/** Audio methods by name: what `autodidact pretrain audio --method <name>` builds. */
export const methods = methodRegistry('audio method', [
  defineMethod({
    name: 'wav2vec2',
    modality: 'audio',
    summary:
      'wav2vec 2.0: masked spans, transformer context, Gumbel product-quantized targets, contrastive + diversity loss (Baevski et al. 2020)',
    defaults: WAV2VEC2_DEFAULTS,
    schema: WAV2VEC2_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new Wav2vec2(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'wav2vec',
    modality: 'audio',
    summary: 'wav2vec: causal conv context predicts future latents vs distractors, binary loss (Schneider et al. 2019)',
    defaults: WAV2VEC_DEFAULTS,
    schema: WAV2VEC_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => createWav2vec(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'cpc',
    modality: 'audio',
    summary: 'CPC: GRU context predicts future latents vs distractors, InfoNCE (van den Oord et al. 2018)',
    defaults: CPC_DEFAULTS,
    schema: CPC_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => createCpc(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'data2vec',
    modality: 'audio',
    summary:
      "data2vec: masked spans, regress the instance-normed average of an EMA teacher's top transformer blocks (Baevski et al. 2022)",
    defaults: DATA2VEC_AUDIO_DEFAULTS,
    schema: DATA2VEC_AUDIO_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new Data2VecAudio(sampleShape, options, rng),
  }),
]);
