/**
 * Fine-tuning as a downstream evaluation: a pretrained encoder plus a fresh classification head
 * trained end-to-end on labelled data with cross-entropy, as in the fine-tuning protocols of
 * SimCLR (Chen et al. 2020, appendix B.5) and BERT (Devlin et al. 2019, section 4): the encoder
 * at a lower learning rate than the head, linear warm-up then cosine decay, weight decay on the
 * weight matrices, global-norm gradient clipping. `freeze: 'encoder'` trains only the head
 * through the same code path (an end-to-end linear or MLP probe), so the two are comparable.
 * The training is the Trainer's (the {@link FineTuningTask} with its parameter groups); this
 * file picks the labels, the input statistics and the settings, and scores the result.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type AnyDataset,
  type BatchRequest,
  isStreaming,
  readBatch,
  type StreamingDataset,
} from '../data/streaming-dataset.js';
import { subsetDataset } from '../data/subset.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';
import { Rng } from '../random/rng.js';
import { DataOrder } from '../trainer/data-order.js';
import { type ProgressOptions, ProgressReporter } from '../trainer/progress.js';
import { API_HINTS, type SettingHints } from '../trainer/setting-hints.js';
import { Trainer } from '../trainer/trainer.js';
import { FineTuningTask, type LabelledBatch, labelledDataset } from './fine-tuning-task.js';
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
   * Folder for the Trainer's checkpoints (encoder, head, input statistics, optimizer slots,
   * data position, losses); none when absent. A killed run started again with the
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

/** The labels of `ds`, checked: a non-empty set with one non-negative integer label per sample. */
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
 * The Trainer runs the {@link FineTuningTask}: mean cross-entropy over seeded mini-batches
 * (per-epoch permutations of the label-fraction subset, last partial batch dropped), Adam in
 * four parameter groups (encoder and head, each with and without weight decay: L2 on weight
 * matrices only), the encoder at `lr` and the head at `headLr` on one warm-up + cosine
 * schedule, global-norm clipping, and the Trainer's non-finite guard: a step with a NaN/Inf
 * loss or gradient is not applied and raises a NumericalError naming the tensor. Checkpoints
 * and exact resume are the Trainer's too (`checkpointDir`).
 * Steps run with `training = true` (batch norm, dropout), evaluation with `false`.
 *
 * Fine-tuning mutates the encoder's variables (weights and batch-norm statistics); pass
 * `restore: true` to get them back bit for bit afterwards (benchmarks comparing several
 * fine-tunings of one initialisation), or `freeze: 'encoder'` to train the head alone (the
 * encoder's groups frozen, the encoder in inference mode).
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
  const reporter = new ProgressReporter(options.progress);
  const snapshot =
    options.restore && freeze === 'none'
      ? new Map([...encoder.allVariables()].map(([k, v]) => [k, v.clone()] as const))
      : undefined;
  const evalBatchSize = options.evalBatchSize ?? 256;
  let task: FineTuningTask<B> | undefined;
  let trainer: Trainer<LabelledBatch<B>> | undefined;
  try {
    // Fixed constants from the initial encoder; a resumed run gets the checkpoint's back.
    const stats = standardize ? await inputStats(encoder, train, trainIndices, dim, evalBatchSize) : undefined;
    try {
      task = new FineTuningTask(encoder, {
        numClasses,
        headHidden: hidden,
        rng: new Rng(seed).fork(), // the head's own stream, apart from the label subset's
        headWeights: options.headWeights,
        inputStats: stats,
        trainEncoder: freeze === 'none',
        // What a checkpoint must match besides the Trainer's settings, groups and data size.
        settings: {
          numClasses,
          labelFraction: options.labelFraction ?? 1,
          freeze,
          headHidden: hidden,
          standardize,
          encoder: encoder.config,
          ...Object.fromEntries(Object.entries(options.resumeKey ?? {}).map(([k, v]) => [`key.${k}`, v])),
        },
      });
    } finally {
      if (stats) tf.dispose([stats.mean, stats.scale]);
    }
    const hints = options.hints ?? FINE_TUNE_API_HINTS;
    trainer = new Trainer(
      task,
      {
        batchSize,
        steps: totalSteps,
        seed,
        optimizer: { name: 'adam', lr, weightDecay: wd },
        schedule: { kind: 'cosine', warmupSteps, minLrRatio },
        groups: task.paramGroups({ lr, headLr, weightDecay: wd, freezeEncoder: freeze === 'encoder' }),
        ...(clip > 0 ? { clipGradNorm: clip } : {}),
        ...(options.checkpointDir ? { checkpointDir: options.checkpointDir } : {}),
        ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}),
        ...(options.checkpointEverySeconds !== undefined
          ? { checkpointEverySeconds: options.checkpointEverySeconds }
          : {}),
        ...(options.keepCheckpoints !== undefined ? { keepCheckpoints: options.keepCheckpoints } : {}),
        resume: options.resume ?? true,
        diagnosticsEvery: 0,
        quiet: true,
      },
      [reporter],
      {
        hints: { label: fineTuneSettingName, ...hints },
        // The default warm-up is 10% of the steps, so a run extended on resume may change it (as before).
        ...(options.warmupSteps === undefined ? { stepDerived: ['schedule.warmupSteps'] } : {}),
      },
    );
    const run = await trainer.fit(labelledDataset(subsetDataset(train, trainIndices)));

    const finalTask = task;
    const logitsOf = async (ds: AnyDataset<B>, rows: readonly number[]): Promise<Float32Array> => {
      const out = new Float32Array(rows.length * numClasses);
      for (const { start: s, request, upcoming } of chunks(ds, rows, evalBatchSize)) {
        const batch = await fetchBatch(ds, request, upcoming);
        try {
          const logits = finalTask.logits(batch);
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
    for (const [k, v] of task.head) headWeights[k] = { shape: [...v.shape], values: v.dataSync() as Float32Array };
    if (task.inputStats) {
      headWeights['head/input/mean'] = { shape: [dim], values: task.inputStats.mean.dataSync() as Float32Array };
      headWeights['head/input/scale'] = { shape: [dim], values: task.inputStats.scale.dataSync() as Float32Array };
    }
    return {
      accuracy: accuracyOf(predictions, testLabels),
      trainAccuracy,
      nTrain: n,
      nTest: test.size,
      numClasses,
      predictions,
      lossHistory: run.lossHistory,
      testLogits,
      trainIndices,
      steps: totalSteps,
      seconds: run.seconds,
      headWeights,
      ...(run.resumedFromStep !== undefined ? { resumedFromStep: run.resumedFromStep } : {}),
    };
  } finally {
    trainer?.optimizer?.dispose();
    task?.dispose();
    if (snapshot) {
      const vars = encoder.allVariables();
      for (const [k, t] of snapshot) vars.get(k)?.assign(t);
      tf.dispose([...snapshot.values()]);
    }
  }
}

/**
 * The fine-tuning option a Trainer setting of a fine-tuning run comes from, for resume errors:
 * `optimizer.lr` and the encoder groups' `lr` are `lr`, the head groups' are `headLr`,
 * `schedule.warmupSteps` is `warmupSteps`, a task setting `options.key.data` is `key.data`;
 * `''` for a group's members, which differ only when the encoder or `headHidden` do.
 */
export function fineTuneSettingName(field: string): string {
  const group = /^groups\.(encoder|head)(?:-no-decay)?\.(\w+)$/.exec(field);
  if (group) {
    const [, part, key] = group;
    if (key === 'lr') return part === 'head' ? 'headLr' : 'lr';
    if (key === 'frozen') return 'freeze';
    if (key === 'params') return ''; // members change only with the encoder or headHidden, listed too
    return key!;
  }
  if (field.startsWith('optimizer.') || field.startsWith('schedule.')) return field.slice(field.indexOf('.') + 1);
  if (field.startsWith('options.')) return field.slice('options.'.length);
  return field;
}

/** The API's words in fineTune's resume errors (`lr: 0.003`, `resume: false`). */
const FINE_TUNE_API_HINTS: SettingHints = {
  startOver: API_HINTS.startOver,
  label: (field) => fineTuneSettingName(field).replace(/^key\./, ''),
  setting: (field, value) =>
    `${fineTuneSettingName(field)}: ${value === undefined ? 'undefined' : JSON.stringify(value)}`,
};

/** Fixed per-dimension input statistics of the head, `[dim]` each. */
interface InputStats {
  mean: tf.Tensor1D;
  scale: tf.Tensor1D;
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
