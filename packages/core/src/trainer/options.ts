import { env } from '../env.js';
import { ConfigError } from '../errors.js';
import { checkParamGroups, type ParamGroupOptions } from './param-groups.js';

/** Optimizer choice and its hyper-parameters. */
export interface OptimizerOptions {
  /** `adam` | `adamw` | `sgd` (with momentum) | `lars`. Default `adam`. */
  name: 'adam' | 'adamw' | 'sgd' | 'lars';
  /** Peak learning rate. Default 1e-3. */
  lr: number;
  /**
   * Weight decay, default 0: decoupled for adamw; added to the gradient for adam and sgd (L2);
   * for lars added to the gradient of adapted parameters before the trust ratio (as SimCLR).
   */
  weightDecay?: number;
  /** Momentum for sgd/lars. Default 0.9. */
  momentum?: number;
  /** Adam betas. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Adam epsilon. Default 1e-8. */
  eps?: number;
  /** LARS trust coefficient. Default 1e-3. */
  trustCoefficient?: number;
  /** Nesterov momentum for sgd/lars. Default false. */
  nesterov?: boolean;
  /**
   * LARS: regex source of parameter names excluded from trust-ratio adaptation and weight
   * decay, besides every 1-D parameter. Default: names with a `bias`, `bn`, `batchnorm` or
   * `batch_norm` path segment.
   */
  larsExclude?: string;
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
  /**
   * Parameter groups: subsets of the method's trainable variables with their own learning
   * rate, schedule and weight decay, or frozen (see {@link ParamGroupOptions}); a variable
   * no group selects follows `optimizer` and `schedule`. Default: none. Fixed for a run
   * (resuming with other groups is refused); their settings and members are saved in checkpoints.
   */
  groups?: readonly ParamGroupOptions[];
  /** Clip the global gradient norm to this value. Default: off. */
  clipGradNorm?: number;
  /** Seed for data order, augmentations and initialisation. Default 0. */
  seed: number;
  /** Directory for checkpoints; none written when absent. */
  checkpointDir?: string;
  /**
   * Write a checkpoint every N steps (and at the end); 0: not by step count. Default 500.
   * With {@link checkpointEverySeconds}, whichever comes first.
   */
  checkpointEvery?: number;
  /**
   * Also write a checkpoint once this many wall-clock seconds have passed since the last one
   * (checked after each step); 0: not by time. Default 120, so a kill costs at most about two
   * minutes of training on any run. Resuming stays exact: a checkpoint holds the whole state
   * at a step boundary, whichever step that is.
   */
  checkpointEverySeconds?: number;
  /** Resume from the latest checkpoint in `checkpointDir` if one exists. Default true. */
  resume?: boolean;
  /** Print progress every N steps. Default 10. */
  logEvery?: number;
  /** No progress output. Default from AUTODIDACT_QUIET. */
  quiet?: boolean;
  /**
   * Compute collapse diagnostics every N steps (0: never). Default `'auto'`: every
   * max(1, floor(total steps / 25)) steps, at most 100, so any run draws at least ~25 points
   * (see {@link diagnosticsInterval}).
   */
  diagnosticsEvery?: number | 'auto';
  /** Checkpoint folders kept in `checkpointDir` (the newest ones). Default 2. */
  keepCheckpoints?: number;
  /**
   * Warn of collapse when the mean per-dimension std of the L2-normalised embeddings, as a
   * ratio to 1/sqrt(dim), falls below this. Default 0.05.
   */
  collapseStdRatio?: number;
}

/** Trainer options with every default filled in (see {@link resolveTrainerOptions}). */
export type ResolvedTrainerOptions = TrainerOptions &
  Required<
    Pick<
      TrainerOptions,
      | 'checkpointEvery'
      | 'checkpointEverySeconds'
      | 'resume'
      | 'logEvery'
      | 'quiet'
      | 'diagnosticsEvery'
      | 'keepCheckpoints'
      | 'collapseStdRatio'
    >
  > & {
    optimizer: OptimizerOptions &
      Required<Pick<OptimizerOptions, 'weightDecay' | 'momentum' | 'betas' | 'eps' | 'trustCoefficient' | 'nesterov'>>;
    schedule: ScheduleOptions & Required<Pick<ScheduleOptions, 'warmupSteps' | 'minLrRatio'>>;
  };

/** The documented defaults, besides `batchSize` (required) and `quiet` (from `env.quiet`). */
export const TRAINER_DEFAULTS = {
  epochs: 1,
  seed: 0,
  optimizer: {
    name: 'adam',
    lr: 1e-3,
    weightDecay: 0,
    momentum: 0.9,
    betas: [0.9, 0.999],
    eps: 1e-8,
    trustCoefficient: 1e-3,
    nesterov: false,
  },
  schedule: { kind: 'constant', warmupSteps: 0, minLrRatio: 0 },
  checkpointEvery: 500,
  checkpointEverySeconds: 120,
  resume: true,
  logEvery: 10,
  diagnosticsEvery: 'auto',
  keepCheckpoints: 2,
  collapseStdRatio: 0.05,
} as const;

/**
 * Fills the documented defaults into partial options and checks every value; a bad value is
 * a ConfigError naming the field. The schedule default is constant (no warm-up); pass
 * `{ kind: 'cosine', warmupSteps }` for the usual SSL schedule.
 */
export function resolveTrainerOptions(
  partial: Partial<TrainerOptions> & { batchSize: number },
): ResolvedTrainerOptions {
  const d = TRAINER_DEFAULTS;
  const opt = partial.optimizer;
  const sched = partial.schedule;
  const r: ResolvedTrainerOptions = {
    ...partial,
    epochs: partial.epochs ?? d.epochs,
    batchSize: partial.batchSize,
    seed: partial.seed ?? d.seed,
    optimizer: {
      ...opt,
      name: opt?.name ?? d.optimizer.name,
      lr: opt?.lr ?? d.optimizer.lr,
      weightDecay: opt?.weightDecay ?? d.optimizer.weightDecay,
      momentum: opt?.momentum ?? d.optimizer.momentum,
      betas: opt?.betas ?? [...d.optimizer.betas],
      eps: opt?.eps ?? d.optimizer.eps,
      trustCoefficient: opt?.trustCoefficient ?? d.optimizer.trustCoefficient,
      nesterov: opt?.nesterov ?? d.optimizer.nesterov,
    },
    schedule: {
      ...sched,
      kind: sched?.kind ?? d.schedule.kind,
      warmupSteps: sched?.warmupSteps ?? d.schedule.warmupSteps,
      minLrRatio: sched?.minLrRatio ?? d.schedule.minLrRatio,
    },
    checkpointEvery: partial.checkpointEvery ?? d.checkpointEvery,
    checkpointEverySeconds: partial.checkpointEverySeconds ?? d.checkpointEverySeconds,
    resume: partial.resume ?? d.resume,
    logEvery: partial.logEvery ?? d.logEvery,
    quiet: partial.quiet ?? env.quiet,
    diagnosticsEvery: partial.diagnosticsEvery ?? d.diagnosticsEvery,
    keepCheckpoints: partial.keepCheckpoints ?? d.keepCheckpoints,
    collapseStdRatio: partial.collapseStdRatio ?? d.collapseStdRatio,
  };
  const int = (field: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw new ConfigError(`expected an integer >= ${min}, got ${v}`, { field });
    }
  };
  const num = (field: string, v: number, min: number, max = Number.POSITIVE_INFINITY, open = false) => {
    if (!Number.isFinite(v) || v < min || v > max || (open && v === min)) {
      throw new ConfigError(`expected a number in ${open ? '(' : '['}${min}, ${max}], got ${v}`, { field });
    }
  };
  int('batchSize', r.batchSize, 1);
  int('epochs', r.epochs, 1);
  int('steps', r.steps, 1);
  int('seed', r.seed, 0);
  int('checkpointEvery', r.checkpointEvery, 0);
  num('checkpointEverySeconds', r.checkpointEverySeconds, 0);
  int('logEvery', r.logEvery, 1);
  if (r.diagnosticsEvery !== 'auto') int('diagnosticsEvery', r.diagnosticsEvery, 0);
  int('keepCheckpoints', r.keepCheckpoints, 1);
  int('schedule.warmupSteps', r.schedule.warmupSteps, 0);
  if (!['adam', 'adamw', 'sgd', 'lars'].includes(r.optimizer.name)) {
    throw new ConfigError(`unknown optimizer '${r.optimizer.name}'; known: adam, adamw, sgd, lars`, {
      field: 'optimizer.name',
    });
  }
  if (!['cosine', 'constant'].includes(r.schedule.kind)) {
    throw new ConfigError(`unknown schedule '${r.schedule.kind}'; known: cosine, constant`, { field: 'schedule.kind' });
  }
  num('optimizer.lr', r.optimizer.lr, 0, Number.POSITIVE_INFINITY, true);
  num('optimizer.weightDecay', r.optimizer.weightDecay, 0);
  num('optimizer.momentum', r.optimizer.momentum, 0, 1);
  num('optimizer.betas[0]', r.optimizer.betas[0], 0, 1);
  num('optimizer.betas[1]', r.optimizer.betas[1], 0, 1);
  num('optimizer.eps', r.optimizer.eps, 0);
  num('optimizer.trustCoefficient', r.optimizer.trustCoefficient, 0, Number.POSITIVE_INFINITY, true);
  num('schedule.minLrRatio', r.schedule.minLrRatio, 0, 1);
  num('collapseStdRatio', r.collapseStdRatio, 0);
  if (r.groups !== undefined) checkParamGroups(r.groups);
  if (r.clipGradNorm !== undefined) num('clipGradNorm', r.clipGradNorm, 0, Number.POSITIVE_INFINITY, true);
  if (r.optimizer.larsExclude !== undefined) {
    try {
      new RegExp(r.optimizer.larsExclude);
    } catch (err) {
      throw new ConfigError(`not a valid regular expression: ${r.optimizer.larsExclude}`, {
        field: 'optimizer.larsExclude',
        cause: err,
      });
    }
  }
  return r;
}

/** Most steps between two collapse diagnostics when `diagnosticsEvery` is `'auto'`. */
export const MAX_AUTO_DIAGNOSTICS_EVERY = 100;

/**
 * Steps between collapse diagnostics for a run of `totalSteps` (0: never): `every` itself when
 * it is a number; for `'auto'`, max(1, floor(totalSteps / 25)) capped at 100, so a run of any
 * length gets at least ~25 points on the report's collapse plot (150 steps: every 6; 10,000:
 * every 100).
 */
export function diagnosticsInterval(every: number | 'auto', totalSteps: number): number {
  if (every !== 'auto') return every;
  return Math.min(MAX_AUTO_DIAGNOSTICS_EVERY, Math.max(1, Math.floor(totalSteps / 25)));
}
