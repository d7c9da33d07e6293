/** @autodidact/multimodal: CLIP-style contrastive training of two encoders of different modalities. */
export { CLIP_DEFAULTS, Clip, type ClipOptions } from './clip.js';
export * from './data/index.js';
export * from './encoders/index.js';
export * from './eval/index.js';
export {
  type ClipRunOptions,
  type ClipRunResult,
  type ClipScores,
  type ClipTask,
  runClipExperiment,
} from './experiments.js';
export * from './objectives/index.js';
