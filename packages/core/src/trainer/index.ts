export { clipByGlobalNorm, globalGradNorm } from './clip-grad-norm.js';
export * from './optimizers/index.js';
export {
  type OptimizerOptions,
  type ResolvedTrainerOptions,
  resolveTrainerOptions,
  type ScheduleOptions,
  TRAINER_DEFAULTS,
  type TrainerOptions,
} from './options.js';
export { learningRateAt } from './schedule.js';
