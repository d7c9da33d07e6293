export {
  type GumbelQuantizerConfig,
  GumbelProductQuantizer,
  type QuantizerOutput,
} from './gumbel-product-quantizer.js';
