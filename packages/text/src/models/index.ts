export { gatherPositions, tiedLogits, tokenNll } from './lm-head.js';
export { type SamplingOptions, sampleToken, samplingDistribution } from './sample-token.js';
export {
  type TextEncoderConfig,
  type TextTransformerOptions,
  TransformerTextEncoder,
  textEncoderConfig,
} from './transformer-text-encoder.js';
