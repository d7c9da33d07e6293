/**
 * @autodidact/text: tokenizers, masked and causal transformer LMs, Yarowsky bootstrapping.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus corpora,
 * token files and tokenizer files on disk, the pseudo-word experiments and the CLI modality.
 */
// Everything every platform gets, listed by name in portable.ts.
export * from './portable.js';
export { DEFAULT_CONTEXT_LENGTH, modality, sotuPartySplit } from './modality.js';
export {
  type CorpusTokenizerOptions,
  corpusSample,
  DEFAULT_SAMPLE_BYTES,
  defaultTokenizerCacheDir,
  tokenizerForCorpus,
} from './data/corpus-tokenizer.js';
export { type LabeledTexts, type ReadLabeledTextsOptions, readLabeledTexts } from './data/labeled-texts.js';
export { corpusWindows } from './data/corpus-windows.js';
export { type TokenFile, type TokenFileOptions, tokenFileFor } from './data/token-file.js';
export {
  TOKEN_WINDOW_READER,
  type TokenDType,
  type TokenWindowConfig,
  windowCount,
} from './data/token-window-reader.js';
export {
  type CorpusReaderOptions,
  decodeLines,
  LineDecoder,
  listCorpusFiles,
  readCorpusLines,
  readFileLines,
} from './tokenize/corpus-reader.js';
export { loadTokenizerJson } from './tokenize/load-tokenizer-json.js';
export {
  collocations,
  findOccurrences,
  type Occurrence,
  type OccurrenceOptions,
  words,
} from './yarowsky/occurrences.js';
export {
  accuracyOffSeeds,
  drawSeeds,
  evaluateOccurrences,
  evaluatePseudoWord,
  type PseudoWordIteration,
  type PseudoWordOptions,
  type PseudoWordResult,
  pseudoWordOccurrences,
  seedDecisionList,
  traceAgainstGold,
} from './yarowsky/pseudo-words.js';
export { parseSeeds, readSeeds, type Seeds } from './yarowsky/seeds.js';
export { runYarowsky, yarowskyCommand } from './yarowsky/yarowsky-command.js';
