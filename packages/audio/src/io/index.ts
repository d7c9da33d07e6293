export {
  type DecodedWav,
  decodeWav,
  decodeWavMono,
  type MonoClip,
  mixdown,
  type ReadWavOptions,
  readWav,
} from './wav.js';
export { besselI0, type ResampleOptions, resample, resampleFilter } from './resample.js';
export {
  fitClip,
  listWavFiles,
  loadWavFolder,
  WavDataset,
  type WavFolderOptions,
  type WavListing,
} from './wav-folder.js';
