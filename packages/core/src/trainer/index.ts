export type {
  EpochInfo,
  EvaluateContext,
  StepInfo,
  TrainerCallback,
  TrainResult,
  TrainStartInfo,
} from './callbacks.js';
export { clipByGlobalNorm, globalGradNorm } from './clip-grad-norm.js';
export { DataOrder } from './data-order.js';
export {
  Adam,
  type AdamConfig,
  AdamW,
  createOptimizer,
  GroupedOptimizer,
  Lars,
  LARS_DEFAULT_EXCLUDE,
  type LarsConfig,
  type LarsExclude,
  OPTIMIZER_NAMES,
  type Optimizer,
  type ParamUpdate,
  Sgd,
  type SgdConfig,
  SlotOptimizer,
} from './optimizers/index.js';
export {
  diagnosticsInterval,
  MAX_AUTO_DIAGNOSTICS_EVERY,
  type OptimizerOptions,
  type ResolvedTrainerOptions,
  resolveTrainerOptions,
  type ScheduleOptions,
  TRAINER_DEFAULTS,
  type TrainerOptions,
} from './options.js';
export {
  checkParamGroups,
  type ParamGroupOptions,
  type ParamGroupSettings,
  type ParamSelector,
  type ResolvedParamGroup,
  resolveParamGroups,
} from './param-groups.js';
export { formatDuration, type ProgressOptions, ProgressReporter, type ProgressStream } from './progress.js';
export { learningRateAt } from './schedule.js';
export { batchRequest, loadStreamedBatch } from './next-batch.js';
export {
  API_HINTS,
  CHECKPOINT_PREFIX,
  checkTrainerState,
  type SettingHints,
  Trainer,
  type TrainerCheckpointState,
  type TrainerExtras,
} from './trainer.js';
export { type ExperimentRunOptions, runExperiment } from './experiment-run.js';
