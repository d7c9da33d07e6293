/**
 * @autodidact/audio, portable part: what runs wherever tfjs runs and bundles for a browser:
 * waveform augmentations, log-mel features, the encoders, wav2vec / wav2vec 2.0 / CPC and their
 * objectives and quantizer, WAV decoding from bytes (`decodeWav`, through `wavefile`), resampling
 * and the in-memory clip dataset. A bundler resolving `@autodidact/audio` under the `browser`
 * condition gets this entry; Node gets `index.ts`, which adds reading WAV files and folders,
 * streaming WAV crops from disk and the CLI modality.
 */
export { type DecodedWav, decodeWav, decodeWavMono, type MonoClip, mixdown, type ReadWavOptions } from './io/wav.js';
export { type ResampleOptions, resample } from './io/resample.js';
export { fitClip } from './io/fit-clip.js';
export { WavDataset } from './io/wav-dataset.js';
export { type AudioAugmentation, composeAudio } from './augment/augmentation.js';
export { addNoise } from './augment/add-noise.js';
export { randomCrop } from './augment/random-crop.js';
export { randomGain } from './augment/random-gain.js';
export { freqMask, type MaskOptions, timeMask } from './augment/spec-mask.js';
export { AudioEncoder, type AudioEncoderConfig, audioEncoderConfig } from './encoders/audio-encoder.js';
export { type ContextConfig, ContextNetwork } from './encoders/context-network.js';
export { type ConvFeatureConfig, ConvFeatureEncoder } from './encoders/conv-feature-encoder.js';
export { createEncoder } from './encoders/registry.js';
export { TransformerContext, type TransformerContextConfig } from './encoders/transformer-context.js';
export { LogMel, type LogMelOptions, logMelStats, melFilterbank } from './features/log-mel.js';
export { CPC_METHOD, CPC_OPTIONS, createCpc } from './methods/cpc.js';
export {
  DATA2VEC_AUDIO_METHOD,
  DATA2VEC_AUDIO_OPTIONS,
  Data2VecAudio,
  type Data2VecAudioOptions,
} from './methods/data2vec.js';
export { PredictiveCoding, type PredictiveCodingOptions } from './methods/predictive-coding.js';
export { methods } from './methods/registry.js';
export { spanMask } from './methods/span-mask.js';
export { createWav2vec, WAV2VEC_METHOD, WAV2VEC_OPTIONS } from './methods/wav2vec.js';
export { WAV2VEC2_METHOD, WAV2VEC2_OPTIONS, Wav2vec2, type Wav2vec2Options } from './methods/wav2vec2.js';
export { binaryContrastive } from './objectives/binary-contrastive.js';
export { codebookDiversity } from './objectives/codebook-diversity.js';
export { type FutureLogitsOptions, futureLogits, sampleDistractors } from './objectives/future-logits.js';
export { maskedLogits } from './objectives/masked-logits.js';
export {
  type GumbelQuantizerConfig,
  GumbelProductQuantizer,
  type QuantizerOutput,
} from './quantizer/gumbel-product-quantizer.js';
