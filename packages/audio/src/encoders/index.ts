export { AudioEncoder, type AudioEncoderConfig, audioEncoderConfig } from './audio-encoder.js';
export { type ContextConfig, ContextNetwork } from './context-network.js';
export {
  type ConvFeatureConfig,
  ConvFeatureEncoder,
  checkConvFeatureConfig,
  featureFrames,
  WAV2VEC_CONV,
} from './conv-feature-encoder.js';
export { createEncoder } from './registry.js';
export { TransformerContext, type TransformerContextConfig } from './transformer-context.js';
