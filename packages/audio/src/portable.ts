/**
 * @autodidact/audio, portable part: what runs wherever tfjs runs and bundles for a browser:
 * waveform augmentations, log-mel features, the encoders, wav2vec / wav2vec 2.0 / CPC and their
 * objectives and quantizer, WAV decoding from bytes (`decodeWav`, through `wavefile`), resampling
 * and the in-memory clip dataset. A bundler resolving `@autodidact/audio` under the `browser`
 * condition gets this entry; Node gets `index.ts`, which adds reading WAV files and folders,
 * streaming WAV crops from disk and the CLI modality.
 */
export * from './augment/index.js';
export * from './encoders/index.js';
export * from './features/index.js';
export {
  type DecodedWav,
  decodeWav,
  decodeWavMono,
  type MonoClip,
  mixdown,
  type ReadWavOptions,
} from './io/wav.js';
export { besselI0, type ResampleOptions, resample, resampleFilter } from './io/resample.js';
export { fitClip } from './io/fit-clip.js';
export { WavDataset } from './io/wav-dataset.js';
export * from './methods/index.js';
export * from './objectives/index.js';
export * from './quantizer/index.js';
