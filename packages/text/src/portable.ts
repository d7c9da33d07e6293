/**
 * @autodidact/text, portable part: what runs wherever tfjs runs and bundles for a browser: the
 * masked and causal transformer LMs, SimCSE and data2vec for text, the text encoder, the
 * byte-level BPE tokenizer (built, trained or read from JSON) and tokenizers.js tokenizers,
 * token windows of in-memory texts, and Yarowsky's decision lists over given occurrences. A
 * bundler resolving `@autodidact/text` under the `browser` condition gets this entry; Node gets
 * `index.ts`, which adds corpora and token files on disk, tokenizer files, seed files, the
 * pseudo-word experiments and the CLI (in a browser build `BpeTokenizer.save` / `load` throw;
 * use `toJSON` / `fromJSON`).
 */
export * from './methods/index.js';
export * from './models/index.js';
export {
  type ActiveTokenizer,
  activateTokenizerJson,
  activeTokenizer,
  describeTokenizer,
  setActiveTokenizer,
} from './data/active-tokenizer.js';
export { truncatedWindows, type WindowOptions, windowsOfTexts } from './data/token-windows.js';
export { BYTE_ALPHABET, byteLevelPieces, fromByteLevel, GPT2_SPLIT } from './tokenize/byte-level.js';
export { BpeTokenizer, type TokenizerJson } from './tokenize/bpe-tokenizer.js';
export { HfTokenizer } from './tokenize/hf-tokenizer.js';
export { SPECIAL_TOKENS, specialIds, type TextTokenizer } from './tokenize/text-tokenizer.js';
export { type TrainBpeOptions, trainBpe } from './tokenize/train-bpe.js';
export {
  DecisionList,
  type DecisionListOptions,
  decisionListFromCounts,
  type FeatureCounts,
  type Rule,
  trainDecisionList,
} from './yarowsky/decision-list.js';
export { STOPWORDS } from './yarowsky/stopwords.js';
export {
  classify,
  seedLabels,
  trainOnLabels,
  type YarowskyIteration,
  type YarowskyOptions,
  type YarowskyResult,
  yarowsky,
} from './yarowsky/yarowsky.js';
