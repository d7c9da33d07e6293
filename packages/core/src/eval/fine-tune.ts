/**
 * Fine-tuning as a downstream evaluation: a pretrained encoder plus a fresh classification head
 * trained end-to-end on labelled data with cross-entropy, as in the fine-tuning protocols of
 * SimCLR (Chen et al. 2020, appendix B.5) and BERT (Devlin et al. 2019, section 4): the encoder
 * at a lower learning rate than the head, linear warm-up then cosine decay, weight decay on the
 * weight matrices, global-norm gradient clipping. `freeze: 'encoder'` trains only the head
 * through the same code path (an end-to-end linear or MLP probe), so the two are comparable.
 */
import { loadLatestGoodCheckpoint, saveCheckpoint } from '#checkpoint-files';
import * as tf from '@tensorflow/tfjs';
import type { LoadedCheckpoint } from '../checkpoint/load-checkpoint.js';
import { restoreVariables, withPrefix } from '../checkpoint/restore-variables.js';
import {
  type AnyDataset,
  type BatchRequest,
  isStreaming,
  readBatch,
  type StreamingDataset,
} from '../data/streaming-dataset.js';
import { CheckpointError, ConfigError, NumericalError, ShapeError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';
import { Rng } from '../random/rng.js';
import { clipByGlobalNorm, globalGradNorm } from '../trainer/clip-grad-norm.js';
import { DataOrder } from '../trainer/data-order.js';
import { Adam } from '../trainer/optimizers/adam.js';
import { resolveTrainerOptions } from '../trainer/options.js';
import { type ProgressOptions, ProgressReporter } from '../trainer/progress.js';
import { learningRateAt } from '../trainer/schedule.js';
import {
  API_HINTS,
  describeSettingDiffs,
  type SettingDiff,
  type SettingHints,
  sameSetting,
} from '../trainer/setting-hints.js';
import { findNonFinite, findNonFiniteVariable } from '../trainer/trainer.js';
import { accuracyOf, type ProbeResult } from './probe-result.js';

/** Options of {@link fineTune}. */
export interface FineTuneOptions<B> {
  /** The encoder to fine-tune. Its weights change unless `freeze: 'encoder'` or `restore: true`. */
  encoder: Encoder<B>;
  /** Labelled training set (`labels` required). */
  train: AnyDataset<B>;
  /** Labelled test set (`labels` required). */
  test: AnyDataset<B>;
  /** Number of classes. Default: 1 + the largest label in either set. */
  numClasses?: number;
  /** `none`: train encoder and head (default); `encoder`: train the head only, encoder in eval mode. */
  freeze?: 'none' | 'encoder';
  /** Hidden widths of an MLP head (ReLU between layers); `[]` (default) is a linear head. */
  headHidden?: readonly number[];
  /** Optimizer steps. Default: `epochs` passes over the (label-fraction) training set. */
  steps?: number;
  /** Passes over the training set when `steps` is not given. Default 10. */
  epochs?: number;
  /** Samples per step (the whole training set when larger). Default 32. */
  batchSize?: number;
  /** Peak learning rate of the encoder. Default 1e-4. */
  lr?: number;
  /** Peak learning rate of the head. Default 10 x `lr`. */
  headLr?: number;
  /** L2 penalty added to the gradient (torch Adam `weight_decay`) of weight matrices, not of biases or norm scales. Default 1e-4. */
  weightDecay?: number;
  /** Linear warm-up steps. Default 10% of the steps. */
  warmupSteps?: number;
  /** Final learning rate as a fraction of the peak (cosine). Default 0. */
  minLrRatio?: number;
  /** Clip the global gradient norm (encoder and head together) to this; 0 turns clipping off. Default 1. */
  clipGradNorm?: number;
  /** Train on a seeded, class-balanced fraction of the labels (at least one per class), in (0, 1]. Default 1. */
  labelFraction?: number;
  /** Seed of the label subset, the head initialisation and the batch order. Default 0. */
  seed?: number;
  /** Put the encoder's variables (incl. batch-norm statistics) back as they were when done. Default false. */
  restore?: boolean;
  /** Batch size of the evaluation passes. Default 256. */
  evalBatchSize?: number;
  /** Also score the training subset after training (`trainAccuracy`; NaN when false). Default true. */
  evalTrain?: boolean;
  /** Initial head weights by name (`head/dense1/kernel` `[in, out]`, `head/dense1/bias`, ...); default seeded uniform ±1/sqrt(in), zero bias. */
  headWeights?: Readonly<Record<string, tf.Tensor>>;
  /**
   * Standardise the head's input with the per-dimension mean and std of the initial encoder's
   * embeddings (eval mode) of up to 2,048 training samples, as linearProbe does; fixed
   * constants, not trained. Embedding scales differ by orders of magnitude between encoders,
   * and an unnormalised head learns slowly on small ones. Default true.
   */
  standardize?: boolean;
  /** Progress output, as the Trainer's (default: quiet from AUTODIDACT_QUIET, every 10 steps, stderr). */
  progress?: ProgressOptions;
  /**
   * Folder for checkpoints (encoder, head, input statistics, optimizer slots, step, losses),
   * written atomically as the Trainer's; none when absent. A killed run started again with the
   * same folder resumes exactly (see {@link FineTuneOptions.resume}).
   */
  checkpointDir?: string;
  /** Checkpoint every N steps (and at the end); 0: not by step count. Default 500. */
  checkpointEvery?: number;
  /** Also checkpoint once this many wall seconds have passed since the last one; 0: not by time. Default 120. */
  checkpointEverySeconds?: number;
  /**
   * Resume from the newest intact checkpoint in `checkpointDir` (a damaged newer one is passed
   * over with a warning). The settings, the label subset's size and `resumeKey` must match the
   * checkpoint's, else a CheckpointError shows both values. Default true.
   */
  resume?: boolean;
  /** Checkpoint folders kept. Default 2. */
  keepCheckpoints?: number;
  /** Extra values a checkpoint must match to be resumed (the CLI: the source encoder, the data). */
  resumeKey?: Readonly<Record<string, unknown>>;
  /** How resume errors say what to pass. Default the API's option names. */
  hints?: SettingHints;
}

/** What {@link fineTune} returns: a probe result plus the training record. */
export interface FineTuneResult extends ProbeResult {
  /** Cross-entropy of every step's batch. */
  lossHistory: number[];
  /** Test logits, row-major `[nTest, numClasses]` (e.g. to average over windows of one document). */
  testLogits: Float32Array;
  /** Training-set indices used (the label-fraction subset), ascending. */
  trainIndices: number[];
  /** Optimizer steps taken (including those before a resume). */
  steps: number;
  /** Step the run resumed from, when it did. */
  resumedFromStep?: number;
  /** Wall seconds of the training loop. */
  seconds: number;
  /**
   * The trained head's weights by name, with shapes; with `standardize`, also the fixed input
   * statistics `head/input/mean` and `head/input/scale` (logits = head((z - mean) / scale)).
   */
  headWeights: Record<string, { shape: number[]; values: Float32Array }>;
}

/**
 * Indices of a seeded, class-balanced `fraction` of `labels`: round(fraction · n_c) of each
 * class c (at least one), drawn without replacement, ascending. The same seed gives the same
 * subset, so different encoders are compared on the same labels.
 */
export function labelFractionIndices(labels: Int32Array, fraction: number, seed: number): number[] {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new ConfigError(`expected a number in (0, 1], got ${fraction}`, { field: 'labelFraction' });
  }
  if (fraction === 1) return Array.from(labels.keys());
  const byClass = new Map<number, number[]>();
  for (const [i, y] of labels.entries()) {
    const list = byClass.get(y) ?? [];
    list.push(i);
    byClass.set(y, list);
  }
  const rng = new Rng(seed);
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = rng.shuffle(byClass.get(c)!);
    out.push(...idx.slice(0, Math.max(1, Math.round(fraction * idx.length))));
  }
  return out.sort((a, b) => a - b);
}

/** A fresh dense head `in -> hidden... -> classes`, ReLU between layers; variables `head/dense<i>/{kernel,bias}`. */
function buildHead(
  dims: number[],
  rng: Rng,
  given: Readonly<Record<string, tf.Tensor>> | undefined,
): Map<string, tf.Variable> {
  const layers = dims.slice(1).map((fanOut, i) => ({ i: i + 1, fanIn: dims[i]!, fanOut }));
  // Check every given tensor before creating any variable, so a bad one leaks nothing.
  for (const { i, fanIn, fanOut } of layers) {
    for (const [name, shape] of [
      [`head/dense${i}/kernel`, [fanIn, fanOut]],
      [`head/dense${i}/bias`, [fanOut]],
    ] as const) {
      const t = given?.[name];
      if (given && !t) throw new ConfigError(`no tensor named '${name}'`, { field: 'headWeights' });
      if (t && !tf.util.arraysEqual(t.shape, [...shape])) {
        throw new ConfigError(`'${name}' has shape [${t.shape}], expected [${shape}]`, { field: 'headWeights' });
      }
    }
  }
  const vars = new Map<string, tf.Variable>();
  for (const { i, fanIn, fanOut } of layers) {
    const k = `head/dense${i}/kernel`;
    const b = `head/dense${i}/bias`;
    const bound = 1 / Math.sqrt(fanIn);
    vars.set(
      k,
      tf.tidy(() =>
        tf.variable(given?.[k]?.clone() ?? tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', rng.seed())),
      ),
    );
    vars.set(
      b,
      tf.tidy(() => tf.variable(given?.[b]?.clone() ?? tf.zeros([fanOut]))),
    );
  }
  return vars;
}

/** Fixed per-dimension input statistics of the head, `[dim]` each. */
interface InputStats {
  mean: tf.Tensor1D;
  scale: tf.Tensor1D;
}

/** Logits of the head, `[batch, classes]`, from embeddings `[batch, dim]` (standardised by `stats` when given). */
function applyHead(head: Map<string, tf.Variable>, z: tf.Tensor2D, stats: InputStats | undefined): tf.Tensor2D {
  const layers = head.size / 2;
  let x: tf.Tensor2D = stats ? tf.div(tf.sub(z, stats.mean), stats.scale) : z;
  for (let i = 1; i <= layers; i++) {
    x = tf.add(tf.matMul(x, head.get(`head/dense${i}/kernel`)!), head.get(`head/dense${i}/bias`)!) as tf.Tensor2D;
    if (i < layers) x = tf.relu(x);
  }
  return x;
}

function checkLabels<B>(ds: AnyDataset<B>, field: 'train' | 'test'): Int32Array {
  if (!ds || ds.size === 0) {
    throw new ConfigError(`no samples${ds?.source ? ` in ${ds.source}` : ''}`, { field });
  }
  if (!ds.labels) {
    throw new ConfigError(`the ${field} set${ds.source ? ` (${ds.source})` : ''} has no labels`, {
      field: `${field}.labels`,
    });
  }
  if (ds.labels.length !== ds.size) {
    throw new ConfigError(`${ds.labels.length} labels for ${ds.size} samples`, { field: `${field}.labels` });
  }
  for (const y of ds.labels) {
    if (!Number.isInteger(y) || y < 0) {
      throw new ConfigError(`labels must be non-negative integers, got ${y}`, { field: `${field}.labels` });
    }
  }
  return ds.labels;
}

/**
 * Fine-tunes `encoder` with a fresh classification head on `train` and scores it on `test`.
 * Mean cross-entropy over seeded mini-batches (per-epoch permutations of the label-fraction
 * subset, last partial batch dropped, as the Trainer), our Adam with one learning rate for the
 * encoder and another for the head, both on the same warm-up + cosine schedule, L2 weight decay
 * on weight matrices, global-norm clipping, and the Trainer's non-finite guard: a step with a
 * NaN/Inf loss or gradient is not applied and raises a NumericalError naming the tensor.
 * Steps run with `training = true` (batch norm, dropout), evaluation with `false`.
 *
 * Fine-tuning mutates the encoder's variables (weights and batch-norm statistics); pass
 * `restore: true` to get them back bit for bit afterwards (benchmarks comparing several
 * fine-tunings of one initialisation), or `freeze: 'encoder'` to train the head alone.
 * Does not dispose the datasets; leaves no tensors behind.
 */
export async function fineTune<B>(options: FineTuneOptions<B>): Promise<FineTuneResult> {
  const { encoder, train, test } = options;
  const trainLabels = checkLabels(train, 'train');
  const testLabels = checkLabels(test, 'test');
  let maxLabel = 0;
  for (const y of trainLabels) maxLabel = Math.max(maxLabel, y);
  for (const y of testLabels) maxLabel = Math.max(maxLabel, y);
  const numClasses = options.numClasses ?? maxLabel + 1;
  if (!Number.isInteger(numClasses) || numClasses < 2 || numClasses <= maxLabel) {
    throw new ConfigError(`numClasses ${numClasses} must be an integer >= 2 covering label ${maxLabel}`, {
      field: 'numClasses',
    });
  }
  const freeze = options.freeze ?? 'none';
  if (freeze !== 'none' && freeze !== 'encoder') {
    throw new ConfigError(`expected 'none' or 'encoder', got '${String(freeze)}'`, { field: 'freeze' });
  }
  const int = (field: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw new ConfigError(`expected an integer >= ${min}, got ${v}`, { field });
    }
  };
  const pos = (field: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) throw new ConfigError(`expected a positive number, got ${v}`, { field });
  };
  const nonNeg = (field: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new ConfigError(`expected a number >= 0, got ${v}`, { field });
  };
  const seed = options.seed ?? 0;
  int('seed', seed, 0);
  int('steps', options.steps, 1);
  int('epochs', options.epochs, 1);
  int('batchSize', options.batchSize, 1);
  int('evalBatchSize', options.evalBatchSize, 1);
  int('warmupSteps', options.warmupSteps, 0);
  const hidden = [...(options.headHidden ?? [])];
  for (const h of hidden) int('headHidden', h, 1);
  const lr = options.lr ?? 1e-4;
  const headLr = options.headLr ?? 10 * lr;
  const wd = options.weightDecay ?? 1e-4;
  const clip = options.clipGradNorm ?? 1;
  const minLrRatio = options.minLrRatio ?? 0;
  pos('lr', lr);
  pos('headLr', headLr);
  nonNeg('weightDecay', wd);
  nonNeg('clipGradNorm', clip);
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
    throw new ConfigError(`expected a number in [0, 1], got ${minLrRatio}`, { field: 'minLrRatio' });
  }
  int('checkpointEvery', options.checkpointEvery, 0);
  nonNeg('checkpointEverySeconds', options.checkpointEverySeconds ?? 0);
  int('keepCheckpoints', options.keepCheckpoints, 1);
  const standardize = options.standardize ?? true;
  const dim = encoder.config.outputDim;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new ConfigError(`encoder.config.outputDim must be a positive integer, got ${dim}`, { field: 'encoder' });
  }

  const trainIndices = labelFractionIndices(trainLabels, options.labelFraction ?? 1, seed);
  const n = trainIndices.length;
  const batchSize = Math.min(options.batchSize ?? 32, n);
  const order = new DataOrder(n, batchSize, seed);
  const totalSteps = options.steps ?? (options.epochs ?? 10) * order.stepsPerEpoch;
  const warmupSteps = Math.min(options.warmupSteps ?? Math.round(0.1 * totalSteps), totalSteps);
  const schedule = { kind: 'cosine' as const, warmupSteps, minLrRatio };

  const encVars = freeze === 'none' ? encoder.trainableVariables() : new Map<string, tf.Variable>();
  for (const k of encVars.keys()) {
    if (k.startsWith('head/'))
      throw new ConfigError(`encoder variable '${k}' clashes with the head's names`, { field: 'encoder' });
  }
  const reporter = new ProgressReporter(options.progress);
  const trainerView = resolveTrainerOptions({
    batchSize,
    steps: totalSteps,
    seed,
    optimizer: { name: 'adam', lr: freeze === 'none' ? lr : headLr, weightDecay: wd },
    schedule,
    clipGradNorm: clip > 0 ? clip : undefined,
    quiet: true,
  });
  const rng = new Rng(seed).fork(); // the head's own stream, apart from the label subset's
  const head = buildHead([dim, ...hidden, numClasses], rng, options.headWeights);
  // One Adam per (group, decay): torch's param groups. Decay only on weight matrices.
  const groups: { params: Map<string, tf.Variable>; lr: number; decay: boolean }[] = [];
  for (const [vars, peak] of [
    [encVars, lr],
    [head, headLr],
  ] as const) {
    const decay = new Map([...vars].filter(([, v]) => v.rank >= 2));
    const rest = new Map([...vars].filter(([, v]) => v.rank < 2));
    if (decay.size) groups.push({ params: decay, lr: peak, decay: true });
    if (rest.size) groups.push({ params: rest, lr: peak, decay: false });
  }
  const optimizers = groups.map((g) => new Adam(g.params, { weightDecay: g.decay ? wd : 0 }));
  const allParams = new Map([...encVars, ...head]);
  const varList = [...allParams.values()];
  const keyOf = new Map([...allParams].map(([k, v]) => [v.name, k] as const));
  const snapshot =
    options.restore && freeze === 'none'
      ? new Map([...encoder.allVariables()].map(([k, v]) => [k, v.clone()] as const))
      : undefined;

  // What a checkpoint must match to be resumed: everything that changes what a step computes.
  const settings: Record<string, unknown> = {
    numClasses,
    nTrain: n,
    batchSize,
    lr,
    headLr,
    weightDecay: wd,
    clipGradNorm: clip,
    warmupSteps: options.warmupSteps ?? null,
    minLrRatio,
    labelFraction: options.labelFraction ?? 1,
    seed,
    freeze,
    headHidden: hidden,
    standardize,
    encoder: encoder.config,
    ...Object.fromEntries(Object.entries(options.resumeKey ?? {}).map(([k, v]) => [`key.${k}`, v])),
  };
  const ckDir = options.checkpointDir;
  const checkpointEvery = options.checkpointEvery ?? 500;
  const checkpointEverySeconds = options.checkpointEverySeconds ?? 120;
  const hints = options.hints ?? API_HINTS;

  let stats: InputStats | undefined;
  let startStep = 0;
  let resumedFromStep: number | undefined;
  let resumedFrom: string | undefined;
  const warnings: string[] = [];
  const lossHistory: number[] = [];
  let lastSavedStep = -1;
  let lastSaveAt = performance.now();
  const save = async (step: number) => {
    if (!ckDir) return;
    const tensors = new Map<string, tf.Tensor>();
    for (const [k, v] of encoder.allVariables()) tensors.set(`encoder/${k}`, v);
    for (const [k, v] of head) tensors.set(k, v);
    if (stats) {
      tensors.set('input/mean', stats.mean);
      tensors.set('input/scale', stats.scale);
    }
    for (const [i, o] of optimizers.entries()) for (const [k, v] of o.state()) tensors.set(`optimizer/${i}/${k}`, v);
    const state: FineTuneCheckpointState = {
      format: FINE_TUNE_CHECKPOINT_FORMAT,
      version: 1,
      step,
      totalSteps,
      settings,
      optimizerSteps: optimizers.map((o) => o.stepCount),
      lossHistory,
    };
    const path = await saveCheckpoint(ckDir, { step, tensors, state: { ...state } }, { keep: options.keepCheckpoints });
    lastSavedStep = step;
    lastSaveAt = performance.now();
    reporter.onCheckpoint(path, step);
  };
  const started = performance.now();
  const recent: number[] = [];
  const training = freeze === 'none';
  try {
    if (ckDir && (options.resume ?? true)) {
      const { checkpoint: ck, skipped } = await loadLatestGoodCheckpoint(ckDir, { validate: checkFineTuneState });
      const damaged = skipped.map((x) => `${x.path} (${x.reason})`).join('; ');
      if (!ck && skipped.length > 0) {
        throw new CheckpointError(
          `no intact checkpoint to resume from: ${damaged}; pass ${hints.startOver} to start over`,
          {
            path: ckDir,
          },
        );
      }
      if (ck) {
        try {
          stats = restoreFineTune(ck, { settings, totalSteps, hints, encoder, head, optimizers, standardize });
        } finally {
          tf.dispose([...ck.tensors.values()]);
        }
        startStep = ck.step;
        resumedFromStep = ck.step;
        resumedFrom = ck.path;
        lastSavedStep = ck.step;
        lossHistory.push(...(ck.state as unknown as FineTuneCheckpointState).lossHistory);
        if (skipped.length > 0) warnings.push(`passed over damaged checkpoints: ${damaged}; resuming from ${ck.path}`);
      }
    }
    if (standardize && !stats)
      stats = await inputStats(encoder, train, trainIndices, dim, options.evalBatchSize ?? 256);
    reporter.onTrainStart({
      totalSteps,
      startStep,
      stepsPerEpoch: order.stepsPerEpoch,
      datasetSize: n,
      options: trainerView,
      ...(resumedFromStep !== undefined ? { resumedFromStep, resumedFrom } : {}),
    });
    for (const w of warnings) reporter.onWarning(w, startStep);

    for (let step = startStep; step < totalSteps; step++) {
      const t0 = performance.now();
      const epoch = Math.floor(step / order.stepsPerEpoch);
      const positions = order.batchIndices(epoch, step % order.stepsPerEpoch);
      const indices = positions.map((p) => trainIndices[p]!);
      const upcoming: BatchRequest[] = [];
      const depth = isStreaming(train) ? Math.min(train.prefetch, totalSteps - step - 1) : 0;
      for (let k = 1; k <= depth; k++) {
        const e = Math.floor((step + k) / order.stepsPerEpoch);
        const ahead = order.batchIndices(e, (step + k) % order.stepsPerEpoch);
        upcoming.push({ indices: ahead.map((p) => trainIndices[p]!) });
      }
      const batch = await fetchBatch(train, { indices }, upcoming);
      let loss: number;
      let gradNorm: number;
      try {
        ({ loss, gradNorm } = tf.tidy(() => {
          const y = tf.oneHot(
            tf.tensor1d(
              Int32Array.from(indices, (i) => trainLabels[i]!),
              'int32',
            ),
            numClasses,
          );
          const { value, grads } = tf.variableGrads(() => {
            const z = encoder.apply(batch, training);
            if (z.rank !== 2 || z.shape[1] !== dim) {
              throw new ShapeError(`encoder returned [${z.shape}], expected [batch, ${dim}] (config.outputDim)`);
            }
            return tf.losses.softmaxCrossEntropy(y, applyHead(head, z, stats)) as tf.Scalar;
          }, varList);
          const gradMap = new Map<string, tf.Tensor>();
          for (const [name, g] of Object.entries(grads)) if (g) gradMap.set(keyOf.get(name) ?? name, g);
          const vals = tf.stack([value, globalGradNorm(gradMap)]).dataSync();
          const [l, g] = [vals[0]!, vals[1]!];
          const lrFactor = learningRateAt(step, totalSteps, 1, schedule);
          if (!Number.isFinite(l)) throw nonFinite('loss', step, l, g);
          if (!Number.isFinite(g)) throw nonFinite(findNonFinite(gradMap), step, l, g);
          const clipped = clip > 0 ? clipByGlobalNorm(gradMap, clip, g).grads : gradMap;
          for (const [i, group] of groups.entries()) {
            optimizers[i]!.step(
              new Map([...group.params.keys()].flatMap((k) => (clipped.has(k) ? [[k, clipped.get(k)!]] : []))),
              group.lr * lrFactor,
            );
          }
          return { loss: l, gradNorm: g };
        }));
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
      lossHistory.push(loss);
      recent.push(performance.now() - t0);
      if (recent.length > 20) recent.shift();
      const meanMs = recent.reduce((a, b) => a + b, 0) / recent.length;
      reporter.onStepEnd({
        step: step + 1,
        totalSteps,
        epoch,
        loss,
        lr: (training ? lr : headLr) * learningRateAt(step, totalSteps, 1, schedule),
        gradNorm,
        metrics: {},
        samplesPerSec: (indices.length * 1000) / Math.max(meanMs, 1e-6),
        etaSeconds: ((totalSteps - step - 1) * meanMs) / 1000,
        elapsedSeconds: (performance.now() - started) / 1000,
      });
      const done = step + 1;
      const due =
        (checkpointEvery > 0 && done % checkpointEvery === 0) ||
        (checkpointEverySeconds > 0 && performance.now() - lastSaveAt >= checkpointEverySeconds * 1000);
      if (ckDir && due && done < totalSteps) {
        const bad = training ? findNonFiniteVariable(encoder.allVariables()) : undefined;
        if (bad) throw nonFinite(bad, step, loss, gradNorm);
        await save(done);
      }
    }
    // A finite loss does not prove finite state (batch-norm statistics), as in the Trainer.
    if (training) {
      const bad = findNonFiniteVariable(encoder.allVariables());
      if (bad) throw nonFinite(bad, totalSteps - 1, lossHistory[lossHistory.length - 1]!, Number.NaN);
    }
    if (ckDir && lastSavedStep !== totalSteps) await save(totalSteps);
    const seconds = (performance.now() - started) / 1000;

    const logitsOf = async (ds: AnyDataset<B>, rows: readonly number[]): Promise<Float32Array> => {
      const out = new Float32Array(rows.length * numClasses);
      for (const { start: s, request, upcoming } of chunks(ds, rows, options.evalBatchSize ?? 256)) {
        const batch = await fetchBatch(ds, request, upcoming);
        try {
          const logits = tf.tidy(() => applyHead(head, encoder.apply(batch, false), stats));
          out.set(logits.dataSync(), s * numClasses);
          logits.dispose();
        } finally {
          tf.dispose(batch as unknown as tf.TensorContainer);
        }
      }
      return out;
    };
    const argmax = (logits: Float32Array): Int32Array => {
      const rows = logits.length / numClasses;
      const pred = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        let best = 0;
        for (let c = 1; c < numClasses; c++) {
          if (logits[r * numClasses + c]! > logits[r * numClasses + best]!) best = c;
        }
        pred[r] = best;
      }
      return pred;
    };
    const testLogits = await logitsOf(
      test,
      Array.from({ length: test.size }, (_, i) => i),
    );
    const predictions = argmax(testLogits);
    const trainAccuracy =
      options.evalTrain === false
        ? Number.NaN
        : accuracyOf(
            argmax(await logitsOf(train, trainIndices)),
            trainIndices.map((i) => trainLabels[i]!),
          );
    const headWeights: FineTuneResult['headWeights'] = {};
    for (const [k, v] of head) headWeights[k] = { shape: [...v.shape], values: v.dataSync() as Float32Array };
    if (stats) {
      headWeights['head/input/mean'] = { shape: [dim], values: stats.mean.dataSync() as Float32Array };
      headWeights['head/input/scale'] = { shape: [dim], values: stats.scale.dataSync() as Float32Array };
    }
    const result: FineTuneResult = {
      accuracy: accuracyOf(predictions, testLabels),
      trainAccuracy,
      nTrain: n,
      nTest: test.size,
      numClasses,
      predictions,
      lossHistory,
      testLogits,
      trainIndices,
      steps: totalSteps,
      seconds,
      headWeights,
      ...(resumedFromStep !== undefined ? { resumedFromStep } : {}),
    };
    reporter.onTrainEnd({
      steps: totalSteps,
      epochs: totalSteps / order.stepsPerEpoch,
      finalLoss: lossHistory[lossHistory.length - 1] ?? Number.NaN,
      lossHistory,
      seconds,
      warnings,
      ...(resumedFromStep !== undefined ? { resumedFromStep } : {}),
    });
    return result;
  } catch (err) {
    // As the Trainer: the progress output ends with why the run stopped.
    if (err instanceof NumericalError) {
      reporter.onTrainEnd({
        steps: lossHistory.length,
        epochs: lossHistory.length / order.stepsPerEpoch,
        finalLoss: lossHistory[lossHistory.length - 1] ?? Number.NaN,
        lossHistory,
        seconds: (performance.now() - started) / 1000,
        stoppedReason: err.message,
        warnings: [],
      });
    }
    throw err;
  } finally {
    for (const o of optimizers) o.dispose();
    tf.dispose([...head.values()]);
    if (stats) tf.dispose([stats.mean, stats.scale]);
    if (snapshot) {
      const vars = encoder.allVariables();
      for (const [k, t] of snapshot) vars.get(k)?.assign(t);
      tf.dispose([...snapshot.values()]);
    }
  }
}

/** Mean and std (1 where below 1e-6) of the eval-mode embeddings of up to 2,048 evenly spaced `rows`. */
async function inputStats<B>(
  encoder: Encoder<B>,
  ds: AnyDataset<B>,
  rows: readonly number[],
  dim: number,
  batchSize: number,
): Promise<InputStats> {
  const m = Math.min(rows.length, 2048);
  const picked = Array.from({ length: m }, (_, i) => rows[Math.floor((i * rows.length) / m)]!);
  const parts: tf.Tensor2D[] = [];
  try {
    for (const { request, upcoming } of chunks(ds, picked, batchSize)) {
      const batch = await fetchBatch(ds, request, upcoming);
      try {
        const z = tf.tidy(() => encoder.apply(batch, false));
        parts.push(z);
        if (z.rank !== 2 || z.shape[1] !== dim) {
          throw new ShapeError(`encoder returned [${z.shape}], expected [batch, ${dim}] (config.outputDim)`);
        }
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
    }
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(tf.concat2d(parts, 0), 0);
      const std = tf.sqrt(variance);
      return {
        mean: mean as tf.Tensor1D,
        scale: tf.where(tf.greater(std, 1e-6), std, tf.onesLike(std)) as tf.Tensor1D,
      };
    });
  } finally {
    tf.dispose(parts);
  }
}

function nonFinite(what: string, step: number, loss: number, gradNorm: number): NumericalError {
  return new NumericalError(
    `fine-tuning: non-finite ${what} at step ${step + 1} (loss ${loss}, gradient norm ${gradNorm}); ` +
      'the step was not applied. Lower the learning rate, keep clipGradNorm on or check the data.',
    { step: step + 1, tensorName: what },
  );
}

/** `format` of a fine-tuning checkpoint's state.json. */
export const FINE_TUNE_CHECKPOINT_FORMAT = 'autodidact-finetune-checkpoint';

/** The `state.json` {@link fineTune} writes beside the tensors of a checkpoint. */
export interface FineTuneCheckpointState {
  format: typeof FINE_TUNE_CHECKPOINT_FORMAT;
  version: 1;
  step: number;
  totalSteps: number;
  /** Everything that must match to resume (see {@link FineTuneOptions.resumeKey}). */
  settings: Record<string, unknown>;
  /** Step count of each Adam (one per parameter group), in order. */
  optimizerSteps: number[];
  /** Loss of every step so far. */
  lossHistory: number[];
}

/**
 * Throws a CheckpointError unless `ck.state` is a whole fine-tuning state; resuming passes over
 * a checkpoint that fails this to an older one.
 */
export function checkFineTuneState(ck: LoadedCheckpoint): void {
  const s = ck.state as Partial<FineTuneCheckpointState>;
  const fail = (msg: string) => new CheckpointError(`state.json ${msg}`, { path: ck.path });
  if (s.format !== FINE_TUNE_CHECKPOINT_FORMAT) throw fail('is not a fine-tuning checkpoint');
  if (typeof s.settings !== 'object' || s.settings === null) throw fail('lacks the settings');
  if (!Number.isInteger(s.totalSteps)) throw fail('lacks the planned steps');
  if (!Array.isArray(s.optimizerSteps) || !s.optimizerSteps.every(Number.isInteger)) {
    throw fail('lacks the optimizer steps');
  }
  if (!Array.isArray(s.lossHistory) || s.lossHistory.length !== ck.step) {
    throw fail(`lacks the loss history (${ck.step} steps)`);
  }
}

/**
 * Checks that a fine-tuning checkpoint fits this run (same settings, not past its planned
 * steps) and puts its encoder, head and optimizer state back; returns the head's input
 * statistics (new tensors) when the run standardises. Nothing is assigned when a check fails.
 */
function restoreFineTune<B>(
  ck: LoadedCheckpoint,
  run: {
    settings: Record<string, unknown>;
    totalSteps: number;
    hints: SettingHints;
    encoder: Encoder<B>;
    head: Map<string, tf.Variable>;
    optimizers: Adam[];
    standardize: boolean;
  },
): InputStats | undefined {
  const s = ck.state as unknown as FineTuneCheckpointState;
  const fail = (msg: string) => new CheckpointError(msg, { path: ck.path });
  const diffs: SettingDiff[] = [];
  for (const key of new Set([...Object.keys(s.settings), ...Object.keys(run.settings)])) {
    if (!sameSetting(s.settings[key], run.settings[key])) {
      diffs.push({ field: key, label: key.replace(/^key\./, ''), was: s.settings[key], now: run.settings[key] });
    }
  }
  if (diffs.length > 0) throw fail(describeSettingDiffs(diffs, run.hints));
  if (ck.step > run.totalSteps) {
    throw fail(
      `checkpoint is at step ${ck.step}, past the ${run.totalSteps} steps this run asks for; ` +
        `resume with ${run.hints.setting('steps', ck.step)} or more, or pass ${run.hints.startOver} to start over`,
    );
  }
  if (s.optimizerSteps.length !== run.optimizers.length) {
    throw fail(`checkpoint has ${s.optimizerSteps.length} parameter groups, this run ${run.optimizers.length}`);
  }
  const mean = ck.tensors.get('input/mean');
  const scale = ck.tensors.get('input/scale');
  if (run.standardize && (!mean || !scale)) throw fail("no tensors 'input/mean' and 'input/scale'");
  restoreVariables(run.encoder.allVariables(), ck.tensors, 'encoder/', ck.path);
  restoreVariables(run.head, ck.tensors, '', ck.path);
  for (const [i, o] of run.optimizers.entries()) {
    o.loadState(withPrefix(ck.tensors, `optimizer/${i}/`), s.optimizerSteps[i]!, ck.path);
  }
  return run.standardize ? { mean: mean!.clone() as tf.Tensor1D, scale: scale!.clone() as tf.Tensor1D } : undefined;
}

/** One batch: gathered in memory, or read by a streaming dataset's workers with `upcoming` read ahead. */
function fetchBatch<B>(ds: AnyDataset<B>, request: BatchRequest, upcoming: readonly BatchRequest[]): Promise<B> {
  return isStreaming(ds) ? (ds as StreamingDataset<B>).loadBatch(request, upcoming) : readBatch(ds, request.indices);
}

/** The batches of `rows` in chunks of `size`, each with the chunks a streaming dataset reads ahead. */
function* chunks<B>(
  ds: AnyDataset<B>,
  rows: readonly number[],
  size: number,
): Generator<{ start: number; request: BatchRequest; upcoming: BatchRequest[] }> {
  const depth = isStreaming(ds) ? ds.prefetch : 0;
  const at = (s: number): BatchRequest => ({ indices: rows.slice(s, s + size) });
  for (let s = 0; s < rows.length; s += size) {
    const upcoming: BatchRequest[] = [];
    for (let k = 1; k <= depth && s + k * size < rows.length; k++) upcoming.push(at(s + k * size));
    yield { start: s, request: at(s), upcoming };
  }
}
