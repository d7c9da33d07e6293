export type { EpochInfo, StepInfo, TrainerCallback, TrainResult, TrainStartInfo } from './callbacks.js';
export { clipByGlobalNorm, globalGradNorm } from './clip-grad-norm.js';
export { DataOrder } from './data-order.js';
export * from './optimizers/index.js';
export {
  type OptimizerOptions,
  type ResolvedTrainerOptions,
  resolveTrainerOptions,
  type ScheduleOptions,
  TRAINER_DEFAULTS,
  type TrainerOptions,
} from './options.js';
export { formatDuration, type ProgressOptions, ProgressReporter, type ProgressStream } from './progress.js';
export { learningRateAt } from './schedule.js';
export { batchRequest, loadStreamedBatch } from './next-batch.js';
export { CHECKPOINT_PREFIX, Trainer, type TrainerCheckpointState, type TrainerExtras } from './trainer.js';
