export { CPC_DEFAULTS, createCpc } from './cpc.js';
export { PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';
export { methods } from './registry.js';
export { createWav2vec, WAV2VEC_DEFAULTS } from './wav2vec.js';
