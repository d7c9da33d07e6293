import { methodRegistry } from '@autodidact/core';
import { CPC_METHOD } from './cpc.js';
import { DATA2VEC_AUDIO_METHOD } from './data2vec.js';
import { WAV2VEC_METHOD } from './wav2vec.js';
import { WAV2VEC2_METHOD } from './wav2vec2.js';

/** Audio methods by name: what `autodidact pretrain audio --method <name>` builds. */
export const methods = methodRegistry('audio method', [
  WAV2VEC2_METHOD,
  WAV2VEC_METHOD,
  CPC_METHOD,
  DATA2VEC_AUDIO_METHOD,
]);
