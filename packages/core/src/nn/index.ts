export { type Activation, activate, gelu } from './activations.js';
export { causalBias, MASKED_SCORE, paddingBias } from './attention-mask.js';
export { initLayerNorm, layerNorm } from './layer-norm.js';
export { initLinear, linear } from './linear.js';
export { type AttentionOptions, initMultiHeadAttention, multiHeadAttention } from './multi-head-attention.js';
export { createParam, DEFAULT_INIT_STD, disposeParams, getParam, type ParamInit, type ParamMap } from './params.js';
export {
  addPositions,
  initLearnedPositions,
  learnedPositions,
  type PositionKind,
  sinusoidalPositions,
} from './positional-embedding.js';
export { initTokenEmbedding, tokenEmbedding } from './token-embedding.js';
export { initTransformerBlock, type TransformerBlockConfig, transformerBlock } from './transformer-block.js';
export { initTransformer, type TransformerConfig, transformer, validateTransformerConfig } from './transformer.js';
