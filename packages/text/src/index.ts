/** @autodidact/text: tokenizers, masked and causal transformer LMs, Yarowsky bootstrapping. */
export * from './data/index.js';
export * from './methods/index.js';
export * from './models/index.js';
export * from './tokenize/index.js';
export * from './yarowsky/index.js';
export {
  DEFAULT_CONTEXT_LENGTH,
  modality,
  sotuPartySplit,
  TEXT_EXTENSIONS,
  TEXT_LOADER_OPTIONS,
} from './modality.js';
