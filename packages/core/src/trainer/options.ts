/** Optimizer choice and its hyper-parameters. */
export interface OptimizerOptions {
  /** `adam` | `adamw` | `sgd` (with momentum) | `lars`. Default `adam`. */
  name: 'adam' | 'adamw' | 'sgd' | 'lars';
  /** Peak learning rate. Default 1e-3. */
  lr: number;
  /** Decoupled (adamw, lars) or L2 (sgd, adam) weight decay. Default 0. */
  weightDecay?: number;
  /** Momentum for sgd/lars. Default 0.9. */
  momentum?: number;
  /** Adam betas. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Adam epsilon. Default 1e-8. */
  eps?: number;
  /** LARS trust coefficient. Default 1e-3. */
  trustCoefficient?: number;
}

/** Learning-rate schedule: linear warm-up, then cosine decay (or constant). */
export interface ScheduleOptions {
  kind: 'cosine' | 'constant';
  /** Warm-up steps (linear from 0 to the peak lr). Default 0. */
  warmupSteps?: number;
  /** Final lr as a fraction of the peak, for cosine. Default 0. */
  minLrRatio?: number;
}

/** Everything the trainer needs besides the method and the data. Plain data, saved in checkpoints. */
export interface TrainerOptions {
  /** Passes over the data. Default 1. Ignored when `steps` is set. */
  epochs: number;
  /** Stop after this many optimizer steps (overrides epochs). */
  steps?: number;
  batchSize: number;
  optimizer: OptimizerOptions;
  schedule: ScheduleOptions;
  /** Clip the global gradient norm to this value. Default: off. */
  clipGradNorm?: number;
  /** Seed for data order, augmentations and initialisation. Default 0. */
  seed: number;
  /** Directory for checkpoints; none written when absent. */
  checkpointDir?: string;
  /** Write a checkpoint every N steps (and at the end). Default 500. */
  checkpointEvery?: number;
  /** Resume from the latest checkpoint in `checkpointDir` if one exists. Default true. */
  resume?: boolean;
  /** Print progress every N steps. Default 10. */
  logEvery?: number;
  /** No progress output. Default from AUTODIDACT_QUIET. */
  quiet?: boolean;
  /** Compute collapse diagnostics every N steps (0: never). Default 100. */
  diagnosticsEvery?: number;
}
