/** @autodidact/audio: self-supervised learning on audio: WAV I/O, log-mel features, wav2vec, wav2vec 2.0 and CPC. */
export * from './augment/index.js';
export * from './features/index.js';
export * from './io/index.js';
