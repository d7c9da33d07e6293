/**
 * @autodidact/audio: self-supervised learning on audio: WAV I/O, log-mel features, wav2vec, wav2vec 2.0 and CPC.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus WAV files
 * and folders on disk, streaming WAV crops and the CLI modality.
 */
// Everything every platform gets, listed by name in portable.ts.
export * from './portable.js';
export { modality } from './modality.js';
export { readWav } from './io/read-wav.js';
export { listWavFiles, loadWavFolder, type WavFolderOptions, type WavListing } from './io/wav-folder.js';
export { openWavCrops, type OpenWavCropsOptions } from './io/open-wav-crops.js';
export { type IndexWavCropsOptions, indexWavCrops, type WavCropsConfig } from './io/wav-crops-reader.js';
