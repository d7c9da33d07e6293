/** @autodidact/audio: self-supervised learning on audio: WAV I/O, log-mel features, wav2vec, wav2vec 2.0 and CPC. */
export * from './augment/index.js';
export * from './encoders/index.js';
export * from './features/index.js';
export * from './io/index.js';
export * from './methods/index.js';
export { AUDIO_LOADER_OPTIONS, CLI_CLIP, clipOf, modality } from './modality.js';
export * from './objectives/index.js';
export * from './quantizer/index.js';
