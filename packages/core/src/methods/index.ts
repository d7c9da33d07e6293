export type { Encoder, EncoderConfig } from './encoder.js';
export { type BatchSizeMinimum, checkBatchSizeMinimum } from './batch-size-minimum.js';
export type { LossOutput, Method, StepContext } from './method.js';
export { Registry, type Registered } from './registry.js';
export { stopGradient } from './stop-gradient.js';
export { cosineMomentum, emaUpdate } from './ema.js';
export { type DirectPredOptions, DirectPredPredictor, directPredWeight } from '../heads/directpred-predictor.js';
export { type SymmetricEigen, symmetricEigen, symmetricEigenvalues } from '../linalg/symmetric-eigen.js';
export { assignByName } from './assign-by-name.js';
export { LayersEncoder, LayersModule, namedLayerVariables, seededGlorot, seededHe } from './layers-module.js';
export { MlpHead } from '../heads/mlp-head.js';
export { mergeVariables, prefixed } from './variable-maps.js';
export {
  DATA2VEC_COMMON_DEFAULTS,
  Data2VecTeacher,
  type Data2VecLoss,
  type Data2VecTeacherOptions,
  linearMomentum,
} from './data2vec-teacher.js';
