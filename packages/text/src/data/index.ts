export {
  type ActiveTokenizer,
  activateTokenizerJson,
  activeTokenizer,
  describeTokenizer,
  setActiveTokenizer,
} from './active-tokenizer.js';
export {
  type CorpusTokenizerOptions,
  corpusSample,
  DEFAULT_SAMPLE_BYTES,
  defaultTokenizerCacheDir,
  tokenizerForCorpus,
} from './corpus-tokenizer.js';
export { type LabeledTexts, type ReadLabeledTextsOptions, readLabeledTexts } from './labeled-texts.js';
export { corpusWindows } from './corpus-windows.js';
export { truncatedWindows, type WindowOptions, windowsOfTexts } from './token-windows.js';
export { type TokenFile, type TokenFileOptions, tokenFileFor } from './token-file.js';
export {
  bytesPerToken,
  TOKEN_WINDOW_READER,
  type TokenDType,
  type TokenWindowConfig,
  windowCount,
} from './token-window-reader.js';
