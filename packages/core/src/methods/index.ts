export type { Encoder, EncoderConfig } from './encoder.js';
export { type BatchSizeMinimum, checkBatchSizeMinimum } from './batch-size-minimum.js';
export type { LossOutput, Method, StepContext } from './method.js';
export { Registry, type Registered } from './registry.js';
export { stopGradient } from './stop-gradient.js';
export { cosineMomentum, emaUpdate } from './ema.js';
export {
  type DirectPredOptions,
  DirectPredPredictor,
  directPredWeight,
  type SymmetricEigen,
  symmetricEigen,
} from './directpred.js';
export { assignByName } from './assign-by-name.js';
export { LayersEncoder, LayersModule, namedLayerVariables, seededGlorot, seededHe } from './layers-module.js';
export { MlpHead, mergeVariables, prefixed } from './mlp-head.js';
export {
  DATA2VEC_COMMON_DEFAULTS,
  DATA2VEC_COMMON_SCHEMA,
  Data2VecTeacher,
  type Data2VecLoss,
  type Data2VecTeacherOptions,
  linearMomentum,
} from './data2vec-teacher.js';
export {
  describeOptionType,
  checkOption,
  type OptionSchema,
  type OptionSpec,
  type OptionType,
  optionValueOk,
  resolveOptions,
} from './option-schema.js';
export { defineMethod, type MethodDefinition, type MethodDefinitionInput, methodRegistry } from './define-method.js';
