/**
 * The first step of `autodidact pretrain`: every flag the user typed, checked and turned into
 * values before any work starts (no data read, no folder made), and the Trainer settings they
 * give with the method's defaults.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DataMode, parseDataMode } from '../../data/data-mode.js';
import { ConfigError } from '../../errors.js';
import { unreadableFileError } from '../../io/walk-files.js';
import { checkBatchSizeMinimum } from '../../methods/batch-size-minimum.js';
import type { MethodDefinition } from '../../methods/define-method.js';
import type { OptimizerOptions, TrainerOptions } from '../../trainer/options.js';
import { parseCheckpointEvery } from '../checkpoint-every.js';
import type { LogFormat } from '../log-output.js';
import { resolveLoaderOptions } from '../loader-options.js';
import type { Modality } from '../modality.js';
import { parseIntFlag, parseKeyValues, parseNumberFlag } from '../parse-options.js';

/** Flags of `autodidact pretrain` as commander hands them over. */
export interface PretrainFlags {
  method: string;
  data?: string;
  out: string;
  epochs?: string;
  steps?: string;
  batchSize?: string;
  lr?: string;
  optimizer?: OptimizerOptions['name'];
  seed: string;
  limit?: string;
  option: string[];
  resume: boolean;
  /** Checkpoint cadence: steps (`200`) or wall time (`5m`). Default: 500 steps or 2 minutes, whichever first. */
  checkpointEvery?: string;
  eval: boolean;
  probeTrainLimit: string;
  backend?: 'tensorflow' | 'native' | 'cpu' | 'wasm';
  quiet?: boolean;
  /** `text` or `json` progress and messages on stderr (default env AUTODIDACT_LOG_FORMAT). */
  logFormat?: LogFormat;
  /** Folder for the figures as SVG files (training curves, embedding map). */
  plots?: string;
  /** Write <out>/report.html (default true; `--no-report` turns it off). */
  report?: boolean;
  /** Samples in the 2-D embedding map (0: no map). Default 1000. */
  mapSamples?: string;
  /** Train even when the run is estimated to take hours on a slow backend (cpu, wasm). */
  allowSlow?: boolean;
  /** Labelled data for the online kNN monitor (any form the modality's loadLabeled reads). */
  monitor?: string;
  /** Steps between monitor evaluations (default: about 20 per run). */
  monitorEvery?: string;
  /** Samples of the monitor's fixed sample (default 1000), half kNN bank, half queries. */
  monitorSize?: string;
  /** Keep the checkpoint of the best monitor score in <out>/best. */
  keepBest?: boolean;
  /** `auto` (default), `memory` or `stream`: where decoded samples live (LoadOptions.dataMode). */
  dataMode?: string;
  /** Stop at the first bad data file instead of skipping it. */
  strict?: boolean;
  /** The modality's data flags (`--image-size`, `--window`, ...), by option name. */
  [loaderOption: string]: unknown;
}

/** What a pretraining run does, from the flags: every value checked. */
export interface PretrainPlan {
  /** The method's definition. */
  readonly spec: MethodDefinition<unknown>;
  /** The method's options, checked against its schema and merged over its defaults. */
  readonly methodOptions: Record<string, unknown>;
  /** The modality's loader options (flags over defaults). */
  readonly loader: Record<string, unknown>;
  readonly seed: number;
  readonly limit?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly steps?: number;
  readonly lr?: number;
  readonly probeTrainLimit?: number;
  /** Samples of the 2-D embedding map (0: none). */
  readonly mapSamples: number;
  readonly plotsDir?: string;
  readonly writeReport: boolean;
  readonly dataMode?: DataMode;
  readonly checkpointCadence: ReturnType<typeof parseCheckpointEvery>;
  /** The monitor's labelled data, resolved and readable; absent without `--monitor`. */
  readonly monitorPath?: string;
  readonly monitorEvery?: number;
  readonly monitorSize: number;
}

/**
 * Checks every flag of `pretrain` against the modality, the method's schema and each other:
 * one ConfigError naming the flag on the first bad one, before any folder is made or data read.
 */
export function planPretrain(modality: Modality<unknown>, flags: PretrainFlags): PretrainPlan {
  const spec = modality.methods.get(flags.method);
  const loader = resolveLoaderOptions(modality.loaderOptions ?? [], flags).values;
  const methodOptions = spec.resolve(parseKeyValues(flags.option), '--option');
  const seed = parseIntFlag('--seed', flags.seed) ?? 0;
  const limit = parseIntFlag('--limit', flags.limit, 1);
  const batchSize = parseIntFlag('--batch-size', flags.batchSize, 1);
  const epochs = parseIntFlag('--epochs', flags.epochs, 1);
  const steps = parseIntFlag('--steps', flags.steps, 1);
  const lr = parseNumberFlag('--lr', flags.lr);
  const probeTrainLimit = parseIntFlag('--probe-train-limit', flags.probeTrainLimit, 1);
  const mapSamples = parseIntFlag('--map-samples', flags.mapSamples ?? '1000', 0) ?? 1000;
  const plotsDir = flags.plots !== undefined ? resolve(flags.plots) : undefined;
  const dataMode = parseDataMode(flags.dataMode);
  const checkpointCadence = parseCheckpointEvery(flags.checkpointEvery);
  const monitorPath = flags.monitor !== undefined ? resolve(flags.monitor) : undefined;
  const monitorEvery = parseIntFlag('--monitor-every', flags.monitorEvery, 1);
  const monitorSize = parseIntFlag('--monitor-size', flags.monitorSize ?? '1000', 2) ?? 1000;
  checkMonitorFlags(flags, monitorPath);
  checkBatchSizeMinimum(spec.name, spec.minBatchSize, batchSize ?? spec.trainerDefaults.batchSize ?? 128, {
    field: '--batch-size',
  });
  return {
    spec,
    methodOptions,
    loader,
    seed,
    limit,
    batchSize,
    epochs,
    steps,
    lr,
    probeTrainLimit,
    mapSamples,
    plotsDir,
    writeReport: flags.report ?? true,
    dataMode,
    checkpointCadence,
    monitorPath,
    monitorEvery,
    monitorSize,
  };
}

/** The monitor's flags need `--monitor`, and `--monitor` a readable path. */
export function checkMonitorFlags(
  flags: Pick<PretrainFlags, 'keepBest' | 'monitorEvery' | 'monitorSize'>,
  monitorPath: string | undefined,
): void {
  if (!monitorPath) {
    const needs = flags.keepBest
      ? '--keep-best'
      : flags.monitorEvery !== undefined
        ? '--monitor-every'
        : flags.monitorSize !== undefined
          ? '--monitor-size'
          : undefined;
    if (needs) throw new ConfigError('needs --monitor <labelled data>', { field: needs });
    return;
  }
  try {
    statSync(monitorPath);
  } catch (err) {
    throw new ConfigError(unreadableFileError(monitorPath, err).message, { field: '--monitor' });
  }
}

/** The Trainer's settings: the flags over the method's trainer defaults, checkpoints under `<out>/checkpoints`. */
export function trainerOptionsFor(
  plan: PretrainPlan,
  flags: Pick<PretrainFlags, 'optimizer' | 'resume'>,
  out: string,
  quiet: boolean,
): Partial<TrainerOptions> & { batchSize: number } {
  const defaults = plan.spec.trainerDefaults;
  const optimizer: OptimizerOptions = {
    ...(defaults.optimizer ?? { name: 'adam', lr: 1e-3 }),
    ...(flags.optimizer ? { name: flags.optimizer } : {}),
    ...(plan.lr !== undefined ? { lr: plan.lr } : {}),
  };
  return {
    ...defaults,
    batchSize: plan.batchSize ?? defaults.batchSize ?? 128,
    epochs: plan.epochs ?? defaults.epochs ?? 1,
    steps: plan.steps ?? defaults.steps,
    optimizer,
    seed: plan.seed,
    checkpointDir: join(out, 'checkpoints'),
    ...plan.checkpointCadence,
    resume: flags.resume,
    quiet,
  };
}
