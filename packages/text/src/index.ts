/**
 * @autodidact/text: tokenizers, masked and causal transformer LMs, Yarowsky bootstrapping.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus corpora,
 * token files and tokenizer files on disk, the pseudo-word experiments and the CLI modality.
 */
export * from './portable.js';
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
