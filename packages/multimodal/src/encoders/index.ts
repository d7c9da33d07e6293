export {
  type BagOfTokensConfig,
  BagOfTokensEncoder,
  bagOfTokensConfig,
  buildVocab,
  textPieces,
} from './bag-of-tokens-encoder.js';
