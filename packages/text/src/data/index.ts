export {
  type ActiveTokenizer,
  activateTokenizerJson,
  activeTokenizer,
  describeTokenizer,
  setActiveTokenizer,
} from './active-tokenizer.js';
export { type CorpusTokenizerOptions, defaultTokenizerCacheDir, tokenizerForCorpus } from './corpus-tokenizer.js';
export { type LabeledTexts, type ReadLabeledTextsOptions, readLabeledTexts } from './labeled-texts.js';
export { corpusWindows, truncatedWindows, type WindowOptions, windowsOfTexts } from './token-windows.js';
