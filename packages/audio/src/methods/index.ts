export { CPC_DEFAULTS, createCpc } from './cpc.js';
export { DATA2VEC_AUDIO_DEFAULTS, Data2VecAudio, type Data2VecAudioOptions } from './data2vec.js';
export { PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';
export { methods } from './registry.js';
export { spanMask } from './span-mask.js';
export { createWav2vec, WAV2VEC_DEFAULTS } from './wav2vec.js';
export { WAV2VEC2_DEFAULTS, Wav2vec2, type Wav2vec2Options } from './wav2vec2.js';
