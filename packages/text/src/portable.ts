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
  DEFAULT_DISCOURSE_WORDS,
  seedLabels,
  trainOnLabels,
  type YarowskyIteration,
  type YarowskyOptions,
  type YarowskyResult,
  yarowsky,
} from './yarowsky/yarowsky.js';
export { type BertMaskOptions, bertMask, type MaskedBatch } from './methods/bert-masking.js';
export {
  DATA2VEC_TEXT_METHOD,
  DATA2VEC_TEXT_OPTIONS,
  Data2VecText,
  type Data2VecTextOptions,
} from './methods/data2vec.js';
export { CausalLm, CLM_METHOD, CLM_OPTIONS, type ClmOptions, type GenerateOptions } from './methods/clm.js';
export { LM_OPTIONS, type LmOptions } from './methods/lm-options.js';
export { MaskedLm, MLM_METHOD, MLM_OPTIONS, type MlmOptions } from './methods/mlm.js';
export { PerplexityMeter } from './methods/perplexity.js';
export { methods } from './methods/registry.js';
export { SIMCSE_METHOD, SIMCSE_OPTIONS, SimCse, type SimCseOptions } from './methods/simcse.js';
export { hiddenWithDropout } from './methods/simcse-dropout-forward.js';
export { gatherPositions, tiedLogits, tokenNll } from './models/lm-head.js';
export { type SamplingOptions, sampleToken, samplingDistribution } from './models/sample-token.js';
export {
  type TextEncoderConfig,
  type TextTransformerOptions,
  TransformerTextEncoder,
  textEncoderConfig,
} from './models/transformer-text-encoder.js';
