export { type Activation, activate, GELU_GRAD_KERNEL, GELU_KERNEL, gelu } from './activations.js';
export { causalBias, MASKED_SCORE, paddingBias } from './attention-mask.js';
export {
  BATCH_NORM_TRAIN_GRAD_KERNEL,
  BATCH_NORM_TRAIN_KERNEL,
  type BatchNormTrainingResult,
  batchNormalization,
  batchNormTraining,
} from './batch-norm.js';
export { initLayerNorm, LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, layerNorm } from './layer-norm.js';
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
export {
  initTransformer,
  type TransformerConfig,
  transformer,
  transformerBlockOutputs,
  validateTransformerConfig,
} from './transformer.js';
