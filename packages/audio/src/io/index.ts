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
export { openWavCrops, type OpenWavCropsOptions } from './open-wav-crops.js';
export { type IndexWavCropsOptions, indexWavCrops, type WavCropsConfig } from './wav-crops-reader.js';
export { readMonoFrames, readWavHeader, type WavHeader } from './wav-header.js';
