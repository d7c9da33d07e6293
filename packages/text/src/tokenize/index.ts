export { BYTE_ALPHABET, byteLevelPieces, fromByteLevel, GPT2_SPLIT } from './byte-level.js';
export { BpeTokenizer, type TokenizerJson } from './bpe-tokenizer.js';
export {
  type CorpusReaderOptions,
  decodeLines,
  LineDecoder,
  listCorpusFiles,
  readCorpusLines,
  readFileLines,
} from './corpus-reader.js';
export { HfTokenizer } from './hf-tokenizer.js';
export { loadTokenizerJson } from './load-tokenizer-json.js';
export { SPECIAL_TOKENS, specialIds, type TextTokenizer } from './text-tokenizer.js';
export { type TrainBpeOptions, trainBpe } from './train-bpe.js';
