export {
  type DecodedWav,
  decodeWav,
  decodeWavMono,
  type MonoClip,
  mixdown,
  type ReadWavOptions,
} from './wav.js';
export { readWav } from './read-wav.js';
export { fitClip } from './fit-clip.js';
export { WavDataset } from './wav-dataset.js';
export { besselI0, type ResampleOptions, resample, resampleFilter } from './resample.js';
export {
  listWavFiles,
  loadWavFolder,
  type WavFolderOptions,
  type WavListing,
} from './wav-folder.js';
export { openWavCrops, type OpenWavCropsOptions } from './open-wav-crops.js';
export { type IndexWavCropsOptions, indexWavCrops, type WavCropsConfig } from './wav-crops-reader.js';
export { readMonoFrames, readWavHeader, type WavHeader } from './wav-header.js';
