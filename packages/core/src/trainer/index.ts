export type { OptimizerOptions, ScheduleOptions, TrainerOptions } from './options.js';
