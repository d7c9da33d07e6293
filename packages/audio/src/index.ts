/**
 * @autodidact/audio: self-supervised learning on audio: WAV I/O, log-mel features, wav2vec, wav2vec 2.0 and CPC.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus WAV files
 * and folders on disk, streaming WAV crops and the CLI modality.
 */
export * from './portable.js';
export * from './io/index.js';
export { AUDIO_LOADER_OPTIONS, CLI_CLIP, clipOf, modality } from './modality.js';
