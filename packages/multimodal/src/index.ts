/** @autodidact/multimodal: CLIP-style contrastive training of two encoders of different modalities. */
export {
  Clip,
  CLIP_METHOD,
  CLIP_METHOD_OPTIONS,
  CLIP_OPTIONS,
  type ClipMethodOptions,
  type ClipOptions,
} from './clip.js';
export {
  type ClipRunOptions,
  type ClipRunResult,
  type ClipScores,
  type ClipTask,
  runClipExperiment,
} from './experiments.js';
export {
  accentOf,
  CLIP_VALIDATION_ACCENT,
  type ClipEvaluation,
  type DigitAudioOptions,
  disposePairs,
  type LabelledTensor,
  loadDigitAudioPairs,
  type PairedBatch,
  PairedDataset,
  type PairedSplits,
  type PartnerRows,
} from './data/index.js';
export { type BagOfTokensConfig, BagOfTokensEncoder } from './encoders/index.js';
export type { RetrievalScores } from './eval/index.js';
export { type ClipLossInputs, type ClipLossOptions, clipLoss } from './objectives/index.js';
export {
  openPairedFolder,
  PAIRED_SOUND_DEFAULTS,
  type Partner,
  type PairedFolder,
  type PairedFolderOptions,
  STATS_CLIPS,
} from './data/paired-folder.js';
export { methods } from './methods/registry.js';
export { MULTIMODAL_LOADER_OPTIONS, modality } from './modality.js';
