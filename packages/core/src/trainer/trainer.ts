import { loadLatestGoodCheckpoint, saveCheckpoint } from '#checkpoint-files';
import * as tf from '@tensorflow/tfjs';
import type { LoadedCheckpoint } from '../checkpoint/load-checkpoint.js';
import { restoreVariables, withPrefix } from '../checkpoint/restore-variables.js';
import type { Dataset } from '../data/dataset.js';
import { isStreaming, type StreamingDataset } from '../data/streaming-dataset.js';
import { type CollapseDiagnostics, collapseDiagnostics } from '../diagnostics/collapse-diagnostics.js';
import { CheckpointError, ConfigError, NumericalError } from '../errors.js';
import { checkBatchSizeMinimum } from '../methods/batch-size-minimum.js';
import type { Method, StepContext } from '../methods/method.js';
import { Rng, type RngState } from '../random/rng.js';
import type { EvaluateContext, StepInfo, TrainerCallback, TrainResult, TrainStartInfo } from './callbacks.js';
import { clipByGlobalNorm, globalGradNorm } from './clip-grad-norm.js';
import { DataOrder } from './data-order.js';
import { loadStreamedBatch } from './next-batch.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import { GroupedOptimizer } from './optimizers/grouped-optimizer.js';
import type { LarsExclude } from './optimizers/lars.js';
import type { Optimizer } from './optimizers/optimizer.js';
import {
  diagnosticsInterval,
  type ResolvedTrainerOptions,
  resolveTrainerOptions,
  type TrainerOptions,
} from './options.js';
import {
  type ParamGroupSettings,
  paramGroupSettings,
  type ResolvedParamGroup,
  resolveParamGroups,
} from './param-groups.js';
import { type ProgressStream, ProgressReporter } from './progress.js';
import { learningRateAt } from './schedule.js';
import { tapeGradients } from './tape-gradients.js';
import { API_HINTS, describeSettingDiffs, type SettingDiff, type SettingHints, sameSetting } from './setting-hints.js';

export { API_HINTS, type SettingHints } from './setting-hints.js';

/** Optional extras of a Trainer that are not plain-data options. */
export interface TrainerExtras {
  /** Predicate overriding LARS's name rule for parameters excluded from adaptation and decay. */
  larsExclude?: LarsExclude;
  /** Extra JSON stored under `extra` in every checkpoint's state.json (e.g. data source, package versions). */
  checkpointState?: () => Record<string, unknown>;
  /** Where the built-in progress reporter writes. Default process.stderr. */
  progressStream?: ProgressStream;
  /** How this program's user sets things, for the resume errors. Default: the API's option names. */
  hints?: SettingHints;
  /**
   * Trainer option paths whose values this program derives from the step count (a warm-up of
   * 10% of the steps): as the step count itself, they may differ from a checkpoint's on resume.
   */
  stepDerived?: readonly string[];
}

/**
 * Trainer settings that change what a step computes: a run resumed with any of them different
 * from its checkpoint's would mix two runs, so resuming refuses. (The step count, logging,
 * checkpoint cadence and diagnostics may change.)
 */
const RESUME_FIXED_SETTINGS = [
  'batchSize',
  'seed',
  'optimizer.name',
  'optimizer.lr',
  'optimizer.weightDecay',
  'optimizer.momentum',
  'optimizer.betas',
  'optimizer.eps',
  'optimizer.trustCoefficient',
  'optimizer.nesterov',
  'optimizer.larsExclude',
  'schedule.kind',
  'schedule.warmupSteps',
  'schedule.minLrRatio',
  'clipGradNorm',
] as const;

/** The `state.json` the trainer writes beside the tensors of a checkpoint. */
export interface TrainerCheckpointState {
  format: 'autodidact-checkpoint';
  version: 1;
  step: number;
  totalSteps: number;
  /** Data position: the next batch is batch `cursor` of epoch `epoch`'s permutation. */
  data: { epoch: number; cursor: number; size: number; batchSize: number; seed: number };
  rng: RngState;
  optimizer: { name: string; step: number; config: Readonly<Record<string, unknown>> };
  trainerOptions: ResolvedTrainerOptions;
  method: { name: string; options: Readonly<Record<string, unknown>> };
  encoderConfig: unknown;
  lossHistory: number[];
  /** The parameter groups' settings and members, when the run had groups (see {@link ParamGroupSettings}). */
  groups?: ParamGroupSettings[];
  extra?: Record<string, unknown>;
  /** Callbacks' own state (e.g. the kNN monitor's best score so far), by their `stateKey`. */
  callbacks?: Record<string, unknown>;
  /** Set on checkpoints a callback wrote through `EvaluateContext.saveCheckpoint` (e.g. the best one). */
  evaluation?: Record<string, unknown>;
}

/** Tensor name prefixes inside a trainer checkpoint. */
export const CHECKPOINT_PREFIX = { method: 'method/', optimizer: 'optimizer/' } as const;

interface StepOutcome {
  loss: number;
  gradNorm: number;
  metrics: Record<string, number>;
  /** Name of the non-finite tensor, when the step was refused. */
  bad?: string;
}

/**
 * The training loop (one screen of it is `fit`): for each step, the next batch of a seeded
 * per-epoch permutation, the method's loss and its gradient over the method's trainable
 * variables, a NaN/Inf guard, global-norm clipping, the scheduled learning rate, the
 * optimizer step and the method's `afterStep`; callbacks, progress, collapse diagnostics and
 * atomic checkpoints around it. Callbacks may evaluate the model after a step (`onEvaluate`,
 * e.g. the kNN monitor), write a checkpoint of it elsewhere (the best one) and keep their own
 * state in every checkpoint (`stateKey`). Knows nothing of modalities.
 *
 * Parameter groups (`groups`, as torch's param groups) give subsets of the trainable
 * variables their own learning rate, schedule and weight decay, or freeze them (fine-tuning:
 * a lower rate for the encoder than for the head, or a frozen encoder); without groups every
 * variable follows `optimizer` and `schedule`.
 *
 * Resuming (`checkpointDir` + `resume`, the default) restores the method's state variables,
 * the optimizer's slots and step, the run's RNG and the data position, so an interrupted
 * and resumed run ends with the same weights as an uninterrupted one. The groups' settings
 * and members are fixed for a run: resuming with others is refused.
 */
export class Trainer<B = tf.Tensor> {
  /** Options with defaults filled in. */
  readonly options: ResolvedTrainerOptions;
  /** Callbacks in call order (the progress reporter first unless quiet). */
  readonly callbacks: TrainerCallback[];
  private stopReason: string | undefined;
  private currentOptimizer: Optimizer | undefined;

  constructor(
    readonly method: Method<B>,
    options: Partial<TrainerOptions> & { batchSize: number },
    callbacks: TrainerCallback[] = [],
    private readonly extras: TrainerExtras = {},
  ) {
    this.options = resolveTrainerOptions(options);
    this.callbacks = [...callbacks];
    if (!this.options.quiet) {
      this.callbacks.unshift(
        new ProgressReporter({ logEvery: this.options.logEvery, quiet: false, stream: extras.progressStream }),
      );
    }
  }

  /** Asks the loop to end after the current step (a checkpoint is written if `checkpointDir` is set). */
  stop(reason = 'stopped by request'): void {
    this.stopReason = reason;
  }

  /** The optimizer of the running (or last) `fit`, e.g. to inspect its state. */
  get optimizer(): Optimizer | undefined {
    return this.currentOptimizer;
  }

  /** Trains `method` on `dataset` (in memory or streaming); resumes from `checkpointDir` when asked. */
  async fit(dataset: Dataset<B> | StreamingDataset<B>): Promise<TrainResult> {
    const o = this.options;
    const method = this.method;
    if (dataset.size === 0)
      throw new ConfigError(`no samples to train on${dataset.source ? ` in ${dataset.source}` : ''}`);
    checkBatchSizeMinimum(method.name, method.minBatchSize, o.batchSize, { datasetSize: dataset.size });
    const order = new DataOrder(dataset.size, o.batchSize, o.seed);
    const totalSteps = o.steps ?? o.epochs * order.stepsPerEpoch;
    const diagnosticsEvery = diagnosticsInterval(o.diagnosticsEvery, totalSteps);
    const hints = this.extras.hints ?? API_HINTS;
    const params = method.trainableVariables();
    if (params.size === 0) throw new ConfigError(`method '${method.name}' has no trainable variables`);
    const groups = resolveParamGroups(o.groups ?? [], params, o.optimizer, o.schedule);
    const trained = groups.filter((g) => !g.frozen);
    const varList = trained.flatMap((g) => [...g.params.values()]);
    if (varList.length === 0) {
      throw new ConfigError(`every trainable variable of method '${method.name}' is in a frozen group`, {
        field: 'groups',
      });
    }
    const groupSettings = o.groups?.length ? paramGroupSettings(o.groups, groups) : undefined;
    const keyOf = new Map([...params].map(([k, v]) => [v.name, k] as const));
    this.currentOptimizer?.dispose();
    const optimizer = this.createOptimizer(params, trained);
    this.currentOptimizer = optimizer;
    // The learning rate reported per step: the first trained group's (with variables).
    const shownGroup = Math.max(
      0,
      trained.findIndex((g) => g.params.size > 0),
    );
    const rng = new Rng(o.seed);
    this.stopReason = undefined;

    let step = 0;
    let epoch = 0;
    let cursor = 0;
    let lossHistory: number[] = [];
    let resumedFromStep: number | undefined;
    let resumedFrom: string | undefined;
    let lastCheckpoint: string | undefined;
    let lastCheckpointStep = -1;
    const warnings: string[] = [];
    if (o.checkpointDir && o.resume) {
      // The newest checkpoint that verifies (sizes, checksums, finite values, a whole state);
      // a damaged newer one is passed over with a warning.
      const { checkpoint: ck, skipped } = await loadLatestGoodCheckpoint(o.checkpointDir, {
        validate: checkTrainerState,
      });
      const damaged = skipped.map((x) => `${x.path} (${x.reason})`).join('; ');
      if (!ck && skipped.length > 0) {
        throw new CheckpointError(
          `no intact checkpoint to resume from: ${damaged}; pass ${hints.startOver} to start over`,
          { path: o.checkpointDir },
        );
      }
      if (ck) {
        try {
          const s = this.restore(ck, optimizer, rng, dataset.size, totalSteps, hints, groupSettings);
          ({ step, epoch, cursor, lossHistory } = s);
        } finally {
          tf.dispose([...ck.tensors.values()]);
        }
        resumedFromStep = step;
        resumedFrom = ck.path;
        lastCheckpoint = ck.path;
        lastCheckpointStep = step;
        if (skipped.length > 0) warnings.push(`passed over damaged checkpoints: ${damaged}; resuming from ${ck.path}`);
      }
    }

    let lastSaveAt = performance.now();
    /** The whole trainer state at this step, as a verified checkpoint folder in `dir`. */
    const writeCheckpoint = (dir: string, keep: number, evaluation?: Record<string, unknown>) => {
      const tensors = new Map<string, tf.Tensor>();
      for (const [k, v] of method.stateVariables()) tensors.set(CHECKPOINT_PREFIX.method + k, v);
      for (const [k, v] of optimizer.state()) tensors.set(CHECKPOINT_PREFIX.optimizer + k, v);
      const state: TrainerCheckpointState = {
        format: 'autodidact-checkpoint',
        version: 1,
        step,
        totalSteps,
        data: { epoch, cursor, size: dataset.size, batchSize: o.batchSize, seed: o.seed },
        rng: rng.getState(),
        optimizer: { name: optimizer.name, step: optimizer.stepCount, config: optimizer.config },
        trainerOptions: o,
        method: { name: method.name, options: method.options },
        encoderConfig: method.encoder.config,
        lossHistory,
        ...(groupSettings ? { groups: groupSettings } : {}),
        ...(this.extras.checkpointState ? { extra: this.extras.checkpointState() } : {}),
        ...callbackStates(this.callbacks),
        ...(evaluation ? { evaluation } : {}),
      };
      return saveCheckpoint(dir, { step, tensors, state: { ...state } }, { keep });
    };
    const save = async () => {
      if (!o.checkpointDir) return;
      lastCheckpoint = await writeCheckpoint(o.checkpointDir, o.keepCheckpoints);
      lastCheckpointStep = step;
      lastSaveAt = performance.now();
      for (const cb of this.callbacks) await cb.onCheckpoint?.(lastCheckpoint, step);
    };

    const startInfo: TrainStartInfo = {
      totalSteps,
      startStep: step,
      stepsPerEpoch: order.stepsPerEpoch,
      datasetSize: dataset.size,
      resumedFromStep,
      resumedFrom,
      options: o,
    };
    for (const cb of this.callbacks) await cb.onTrainStart?.(startInfo);
    for (const w of warnings) for (const cb of this.callbacks) await cb.onWarning?.(w, step);

    const started = performance.now();
    const recent: number[] = []; // durations (ms) of the last steps, for throughput and ETA
    let epochLoss = 0;
    let epochSteps = 0;
    const result = (stoppedReason?: string): TrainResult => ({
      steps: step,
      epochs: step / order.stepsPerEpoch,
      finalLoss: lossHistory.length ? lossHistory[lossHistory.length - 1]! : Number.NaN,
      lossHistory,
      seconds: (performance.now() - started) / 1000,
      ...(resumedFromStep !== undefined ? { resumedFromStep } : {}),
      ...(stoppedReason !== undefined ? { stoppedReason } : {}),
      warnings,
      ...(lastCheckpoint ? { checkpoint: lastCheckpoint } : {}),
    });

    // A finite loss does not prove finite state: a statistic outside the gradient (batch norm's
    // moving variance, an EMA target) can overflow while the loss stays flat. Checked before each
    // checkpoint and at the end, so no checkpoint ever holds it and the run does not end "fine"
    // with an encoder that embeds NaN.
    const nonFiniteState = () => findNonFiniteVariable(method.stateVariables()) ?? findNonFiniteSlot(optimizer.state());
    const guardState = async () => {
      const bad = nonFiniteState();
      if (!bad) return;
      const where = lastCheckpoint ? `; last good checkpoint: ${lastCheckpoint}` : '';
      const message =
        `non-finite values in ${bad} by step ${step} (loss ${lossHistory[lossHistory.length - 1]})${where}. ` +
        'Lower the learning rate, enable clipGradNorm or check the data.';
      const r = result(message);
      for (const cb of this.callbacks) await cb.onTrainEnd?.(r);
      throw new NumericalError(message, { step, tensorName: bad });
    };

    while (step < totalSteps && this.stopReason === undefined) {
      const t0 = performance.now();
      const indices = order.batchIndices(epoch, cursor);
      const batch = isStreaming(dataset)
        ? await loadStreamedBatch(dataset, order, epoch, cursor, totalSteps - step)
        : dataset.getBatch(indices);
      const ctx: StepContext = { step, totalSteps, epoch, rng };
      const lrs = trained.map((g) => learningRateAt(step, totalSteps, g.lr, g.schedule));
      const lr = lrs[shownGroup]!;
      const rngBefore = rng.getState();
      let outcome: StepOutcome;
      let diagnostics: CollapseDiagnostics | undefined;
      try {
        outcome = this.computeStep(batch, ctx, lrs, optimizer, varList, keyOf);
        if (!outcome.bad) {
          if (method.afterStep) tf.tidy(() => method.afterStep!(ctx));
          if (diagnosticsEvery > 0 && (step + 1) % diagnosticsEvery === 0) {
            const z = tf.tidy(() => method.embed(batch));
            try {
              if (z.shape[0] >= 2) diagnostics = collapseDiagnostics(z);
            } finally {
              z.dispose();
            }
          }
        }
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
      if (outcome.bad) {
        // Nothing of this step was applied: the state is the last good one (RNG rewound too).
        rng.setState(rngBefore);
        // Only a state that is whole and finite is saved, and only a saved one is called good.
        if (o.checkpointDir && lastCheckpointStep !== step && !nonFiniteState()) await save();
        const where = lastCheckpoint ? `; last good checkpoint: ${lastCheckpoint}` : '';
        const message =
          `non-finite ${outcome.bad} at step ${step + 1} (loss ${outcome.loss}, gradient norm ${outcome.gradNorm})` +
          `${where}. Lower the learning rate, enable clipGradNorm or check the data.`;
        const r = result(message);
        for (const cb of this.callbacks) await cb.onTrainEnd?.(r);
        throw new NumericalError(message, { step: step + 1, tensorName: outcome.bad });
      }

      const stepEpoch = epoch;
      step++;
      cursor++;
      lossHistory.push(outcome.loss);
      epochLoss += outcome.loss;
      epochSteps++;
      recent.push(performance.now() - t0);
      if (recent.length > 20) recent.shift();
      const meanMs = recent.reduce((a, b) => a + b, 0) / recent.length;
      const info: StepInfo = {
        step,
        totalSteps,
        epoch: stepEpoch,
        loss: outcome.loss,
        lr,
        gradNorm: outcome.gradNorm,
        metrics: outcome.metrics,
        samplesPerSec: (indices.length * 1000) / Math.max(meanMs, 1e-6),
        etaSeconds: ((totalSteps - step) * meanMs) / 1000,
        elapsedSeconds: (performance.now() - started) / 1000,
        ...(diagnostics ? { diagnostics } : {}),
      };
      const evaluation: EvaluateContext = {
        step,
        totalSteps,
        embed: (b) => method.embed(b as B),
        saveCheckpoint: async (dir, extra) => {
          const bad = nonFiniteState();
          if (bad) {
            throw new NumericalError(`refusing to write a checkpoint to ${dir}: non-finite values in ${bad}`, { step });
          }
          return writeCheckpoint(dir, 1, extra);
        },
      };
      for (const cb of this.callbacks) {
        const scalars = await cb.onEvaluate?.(evaluation);
        if (scalars) info.monitor = { ...info.monitor, ...scalars };
      }
      if (diagnostics && diagnostics.stdRatio < o.collapseStdRatio) {
        const msg =
          `embedding collapse suspected at step ${step}: per-dimension std of the normalised embeddings is ` +
          `${diagnostics.stdRatio.toFixed(4)} of 1/sqrt(${diagnostics.dim}) (warning below ${o.collapseStdRatio}), ` +
          `effective rank ${diagnostics.effectiveRank.toFixed(2)}`;
        warnings.push(msg);
        for (const cb of this.callbacks) await cb.onWarning?.(msg, step);
      }
      for (const cb of this.callbacks) await cb.onStepEnd?.(info);
      if (cursor >= order.stepsPerEpoch) {
        const done = { epoch, step, meanLoss: epochLoss / Math.max(1, epochSteps) };
        epoch++;
        cursor = 0;
        epochLoss = 0;
        epochSteps = 0;
        for (const cb of this.callbacks) await cb.onEpochEnd?.(done);
      }
      const dueBySteps = o.checkpointEvery > 0 && step % o.checkpointEvery === 0;
      const dueByTime =
        o.checkpointEverySeconds > 0 && performance.now() - lastSaveAt >= o.checkpointEverySeconds * 1000;
      if ((dueBySteps || dueByTime) && step < totalSteps) {
        await guardState();
        if (o.checkpointDir) await save();
        lastSaveAt = performance.now();
      }
    }
    await guardState();
    if (o.checkpointDir && lastCheckpointStep !== step) await save();
    const r = result(this.stopReason);
    this.stopReason = undefined;
    for (const cb of this.callbacks) await cb.onTrainEnd?.(r);
    return r;
  }

  /**
   * One optimizer over all of `params` when the options have no groups (as before groups
   * existed), else one per trained group (its weight decay, the shared other settings).
   */
  private createOptimizer(params: Map<string, tf.Variable>, trained: readonly ResolvedParamGroup[]): Optimizer {
    const o = this.options;
    if (!o.groups?.length) return createOptimizer(o.optimizer, params, this.extras.larsExclude);
    return new GroupedOptimizer(
      o.optimizer.name,
      trained.map((g) =>
        createOptimizer({ ...o.optimizer, weightDecay: g.weightDecay }, g.params, this.extras.larsExclude),
      ),
    );
  }

  /**
   * Loss, gradients (of the trained groups' variables), guard, clipping and the optimizer
   * step of one batch, group `i` at learning rate `lrs[i]`; all tensors freed.
   */
  private computeStep(
    batch: B,
    ctx: StepContext,
    lrs: readonly number[],
    optimizer: Optimizer,
    varList: tf.Variable[],
    keyOf: Map<string, string>,
  ): StepOutcome {
    const kept: [string, tf.Tensor][] = [];
    const { value, grads } = tapeGradients(() => {
      const out = this.method.computeLoss(batch, ctx);
      for (const [k, m] of Object.entries(out.metrics ?? {})) kept.push([k, tf.keep(m)]);
      return out.loss;
    }, varList);
    const gradMap = new Map<string, tf.Tensor>();
    for (const [name, g] of Object.entries(grads)) if (g) gradMap.set(keyOf.get(name) ?? name, g);
    try {
      const readout = tf.tidy(() =>
        tf.stack([
          tf.cast(value, 'float32').reshape([]),
          globalGradNorm(gradMap),
          ...kept.map(([, m]) => tf.cast(m, 'float32').mean()),
        ]),
      );
      const vals = readout.dataSync();
      readout.dispose();
      const loss = vals[0]!;
      const gradNorm = vals[1]!;
      const metrics: Record<string, number> = {};
      kept.forEach(([k], i) => {
        metrics[k] = vals[2 + i]!;
      });
      if (!Number.isFinite(loss)) return { loss, gradNorm, metrics, bad: 'loss' };
      if (!Number.isFinite(gradNorm)) return { loss, gradNorm, metrics, bad: findNonFinite(gradMap) };
      const apply = (g: ReadonlyMap<string, tf.Tensor>) =>
        optimizer instanceof GroupedOptimizer ? optimizer.stepGroups(g, lrs) : optimizer.step(g, lrs[0]!);
      if (this.options.clipGradNorm !== undefined) {
        const clipped = clipByGlobalNorm(gradMap, this.options.clipGradNorm, gradNorm).grads;
        apply(clipped);
        tf.dispose([...clipped.values()]);
      } else {
        apply(gradMap);
      }
      return { loss, gradNorm, metrics };
    } finally {
      tf.dispose([value, ...gradMap.values(), ...kept.map(([, m]) => m)]);
    }
  }

  /**
   * Puts a checkpoint's state into the method, optimizer and RNG; returns the run position.
   * Refuses (a CheckpointError with both values and what to pass) a checkpoint of another
   * method, data set size, method options, trainer settings or parameter groups, or one past
   * the planned steps.
   */
  private restore(
    ck: LoadedCheckpoint,
    optimizer: Optimizer,
    rng: Rng,
    datasetSize: number,
    totalSteps: number,
    hints: SettingHints,
    groups: ParamGroupSettings[] | undefined,
  ): { step: number; epoch: number; cursor: number; lossHistory: number[] } {
    const s = ck.state as unknown as TrainerCheckpointState;
    const fail = (msg: string) => new CheckpointError(msg, { path: ck.path });
    const startOver = `pass ${hints.startOver} to start over`;
    if (s.method.name !== this.method.name) {
      throw fail(`checkpoint is of method '${s.method.name}', this run trains '${this.method.name}'; ${startOver}`);
    }
    const d = s.data;
    if (d.size !== datasetSize) {
      throw fail(
        `checkpoint was written for ${d.size} samples, this data set has ${datasetSize}; use the same data, or ${startOver}`,
      );
    }
    const o = this.options;
    const differ: SettingDiff[] = [];
    const saved = { ...(s.trainerOptions as Partial<ResolvedTrainerOptions>), batchSize: d.batchSize, seed: d.seed };
    for (const field of RESUME_FIXED_SETTINGS) {
      if (this.extras.stepDerived?.includes(field)) continue;
      const was = valueAt(saved, field);
      const now = valueAt(o, field);
      if (was === undefined && field !== 'clipGradNorm' && field !== 'optimizer.larsExclude') continue; // older format
      if (!sameSetting(was, now)) differ.push({ field, label: field, was, now });
    }
    if (s.optimizer.name !== optimizer.name && !differ.some((x) => x.field === 'optimizer.name')) {
      differ.push({ field: 'optimizer.name', label: 'optimizer.name', was: s.optimizer.name, now: optimizer.name });
    }
    differ.push(...groupDiffs(s.groups, groups));
    const mine = this.method.options;
    for (const [key, was] of Object.entries(s.method.options ?? {})) {
      if (!Object.hasOwn(mine, key)) continue;
      if (!sameSetting(was, mine[key])) differ.push({ field: `options.${key}`, label: key, was, now: mine[key] });
    }
    if (differ.length > 0) throw fail(describeSettingDiffs(differ, hints));
    if (ck.step > totalSteps) {
      throw fail(
        `checkpoint is at step ${ck.step}, past the ${totalSteps} steps this run asks for; ` +
          `resume with ${hints.setting('steps', ck.step)} or more, or ${startOver}`,
      );
    }
    restoreVariables(this.method.stateVariables(), ck.tensors, CHECKPOINT_PREFIX.method, ck.path);
    for (const cb of this.callbacks) {
      const saved = cb.stateKey === undefined ? undefined : s.callbacks?.[cb.stateKey];
      if (saved !== undefined) cb.loadState?.(saved);
    }
    optimizer.loadState(withPrefix(ck.tensors, CHECKPOINT_PREFIX.optimizer), s.optimizer.step, ck.path);
    rng.setState(s.rng);
    return { step: ck.step, epoch: d.epoch, cursor: d.cursor, lossHistory: [...s.lossHistory] };
  }
}

/**
 * Throws a CheckpointError unless `ck.state` is a whole trainer state (format, method, data
 * position, optimizer, RNG, a loss per step): a state.json that parses but lacks these is
 * damaged, and resuming passes over it to an older checkpoint.
 */
export function checkTrainerState(ck: LoadedCheckpoint): void {
  const s = ck.state as Partial<TrainerCheckpointState>;
  const fail = (msg: string) => new CheckpointError(`state.json ${msg}`, { path: ck.path });
  if (s.format !== 'autodidact-checkpoint') throw fail('is not an autodidact trainer checkpoint');
  if (typeof s.method?.name !== 'string') throw fail('lacks the method');
  const d = s.data;
  if (!d || ![d.epoch, d.cursor, d.size, d.batchSize, d.seed].every(Number.isInteger)) {
    throw fail('lacks the data position');
  }
  if (typeof s.optimizer?.name !== 'string' || !Number.isInteger(s.optimizer.step)) throw fail('lacks the optimizer');
  if (!Array.isArray(s.rng) || s.rng.length !== 4 || !s.rng.every(Number.isInteger)) throw fail('lacks the RNG state');
  if (!Array.isArray(s.lossHistory) || s.lossHistory.length !== ck.step) {
    throw fail(`lacks the loss history (${ck.step} steps)`);
  }
  if (typeof s.trainerOptions !== 'object' || s.trainerOptions === null) throw fail('lacks the trainer options');
}

/** `{ callbacks: { <stateKey>: state } }` of the callbacks that keep state, or nothing. */
function callbackStates(callbacks: readonly TrainerCallback[]): { callbacks?: Record<string, unknown> } {
  const states: Record<string, unknown> = {};
  for (const cb of callbacks) if (cb.stateKey !== undefined && cb.saveState) states[cb.stateKey] = cb.saveState();
  return Object.keys(states).length > 0 ? { callbacks: states } : {};
}

/** The differences between a checkpoint's parameter groups and this run's (`groups.<name>.<setting>`). */
function groupDiffs(was: ParamGroupSettings[] | undefined, now: ParamGroupSettings[] | undefined): SettingDiff[] {
  const names = (g: ParamGroupSettings[] | undefined) => (g ?? []).map((x) => x.name);
  if (!sameSetting(names(was), names(now))) {
    return [{ field: 'groups', label: 'groups', was: names(was), now: names(now) }];
  }
  const out: SettingDiff[] = [];
  for (const [i, g] of (now ?? []).entries()) {
    const before = was![i]!;
    for (const key of ['params', 'lr', 'weightDecay', 'schedule', 'frozen'] as const) {
      if (sameSetting(before[key], g[key])) continue;
      const field = `groups.${g.name}.${key}`;
      out.push({ field, label: field, was: before[key], now: g[key] });
    }
  }
  return out;
}

/** The value at a dotted path (`optimizer.lr`) of a plain object. */
function valueAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split('.'))
    v = v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[part];
  return v;
}

/** Key of the first tensor with a NaN or infinite entry, or undefined. */
function firstNonFinite(tensors: ReadonlyMap<string, tf.Tensor>): string | undefined {
  for (const [k, t] of tensors) {
    const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t))));
    const flag = bad.dataSync()[0];
    bad.dispose();
    if (flag) return k;
  }
  return undefined;
}

/** `optimizer slot '<name>'` of the first optimizer state tensor with a NaN or infinite entry, or undefined. */
function findNonFiniteSlot(slots: ReadonlyMap<string, tf.Tensor>): string | undefined {
  const k = firstNonFinite(slots);
  return k === undefined ? undefined : `optimizer slot '${k}'`;
}

/** `state variable '<name>'` of the first variable with a NaN or infinite entry, or undefined. */
export function findNonFiniteVariable(vars: ReadonlyMap<string, tf.Variable>): string | undefined {
  const k = firstNonFinite(vars);
  return k === undefined ? undefined : `state variable '${k}'`;
}

/** Name of the first gradient with a NaN or infinite entry (also used by fineTune's guard). */
export function findNonFinite(grads: ReadonlyMap<string, tf.Tensor>): string {
  const k = firstNonFinite(grads);
  return k === undefined ? 'gradient norm' : `gradient of '${k}'`;
}
