/**
 * @autodidact/audio: self-supervised learning on audio: WAV I/O, log-mel features, wav2vec, wav2vec 2.0 and CPC.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus WAV files
 * and folders on disk, streaming WAV crops and the CLI modality.
 */
export {
  addNoise,
  type AudioAugmentation,
  AudioEncoder,
  type AudioEncoderConfig,
  audioEncoderConfig,
  binaryContrastive,
  codebookDiversity,
  composeAudio,
  type ContextConfig,
  ContextNetwork,
  type ConvFeatureConfig,
  ConvFeatureEncoder,
  CPC_DEFAULTS,
  createCpc,
  createEncoder,
  createWav2vec,
  DATA2VEC_AUDIO_DEFAULTS,
  Data2VecAudio,
  type Data2VecAudioOptions,
  type DecodedWav,
  decodeWav,
  decodeWavMono,
  fitClip,
  freqMask,
  futureLogits,
  type FutureLogitsOptions,
  GumbelProductQuantizer,
  type GumbelQuantizerConfig,
  LogMel,
  type LogMelOptions,
  logMelStats,
  maskedLogits,
  type MaskOptions,
  melFilterbank,
  methods,
  mixdown,
  type MonoClip,
  PredictiveCoding,
  type PredictiveCodingOptions,
  type QuantizerOutput,
  randomCrop,
  randomGain,
  type ReadWavOptions,
  resample,
  type ResampleOptions,
  sampleDistractors,
  spanMask,
  timeMask,
  TransformerContext,
  type TransformerContextConfig,
  WAV2VEC_DEFAULTS,
  Wav2vec2,
  WAV2VEC2_DEFAULTS,
  type Wav2vec2Options,
  WavDataset,
} from './portable.js';
export { modality } from './modality.js';
export { readWav } from './io/read-wav.js';
export { listWavFiles, loadWavFolder, type WavFolderOptions, type WavListing } from './io/wav-folder.js';
export { openWavCrops, type OpenWavCropsOptions } from './io/open-wav-crops.js';
export { type IndexWavCropsOptions, indexWavCrops, type WavCropsConfig } from './io/wav-crops-reader.js';
