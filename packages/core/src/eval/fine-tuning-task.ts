/**
 * Fine-tuning as a task the Trainer runs: a pretrained encoder plus a fresh classification head
 * `in -> hidden... -> classes` (ReLU between layers), loss the mean softmax cross-entropy
 * -1/N sum_i log softmax(head((z_i - mean) / scale))[y_i] of the batch's embeddings z_i. Its
 * parameter groups give the encoder a lower learning rate than the head, decay only weight
 * matrices (torch's usual param groups), or freeze the encoder (an end-to-end linear or MLP
 * probe through the same loop), as the fine-tuning protocols of SimCLR (Chen et al. 2020,
 * appendix B.5) and BERT (Devlin et al. 2019, section 4).
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { type AnyDataset, type BatchRequest, isStreaming, type StreamingDataset } from '../data/streaming-dataset.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';
import type { LossOutput, Method } from '../methods/method.js';
import { adoptParam, disposeParams, type ParamMap } from '../nn/params.js';
import type { Rng } from '../random/rng.js';
import type { ParamGroupOptions } from '../trainer/param-groups.js';

/** A batch of inputs with their class labels, as {@link labelledDataset} builds them. */
export interface LabelledBatch<B> {
  inputs: B;
  /** Class of each sample, int32 `[batch]`. */
  labels: tf.Tensor1D;
}

/**
 * `dataset` with its labels in every batch (`{ inputs, labels }`), in memory or streaming as
 * the dataset is; batches are read from `dataset`, nothing is copied. Its `labels` must be set.
 */
export function labelledDataset<B>(dataset: Dataset<B>): Dataset<LabelledBatch<B>>;
export function labelledDataset<B>(dataset: StreamingDataset<B>): StreamingDataset<LabelledBatch<B>>;
export function labelledDataset<B>(dataset: AnyDataset<B>): AnyDataset<LabelledBatch<B>>;
export function labelledDataset<B>(dataset: AnyDataset<B>): AnyDataset<LabelledBatch<B>> {
  const labels = dataset.labels;
  if (!labels) throw new ConfigError(`${dataset.source ?? 'the data set'} has no labels`, { field: 'labels' });
  const labelsOf = (idx: readonly number[]) =>
    tf.tensor1d(
      Int32Array.from(idx, (i) => labels[i]!),
      'int32',
    );
  if (isStreaming(dataset)) {
    return {
      streaming: true,
      size: dataset.size,
      prefetch: dataset.prefetch,
      labels,
      ...(dataset.source ? { source: dataset.source } : {}),
      get skipped() {
        return dataset.skipped;
      },
      loadBatch: async (request: BatchRequest, upcoming?: readonly BatchRequest[]) => ({
        inputs: await dataset.loadBatch(request, upcoming),
        labels: labelsOf(request.indices),
      }),
      close: () => Promise.resolve(),
      dispose: () => undefined,
    };
  }
  return {
    size: dataset.size,
    labels,
    ...(dataset.source ? { source: dataset.source } : {}),
    getBatch: (idx) => ({ inputs: dataset.getBatch(idx), labels: labelsOf(idx) }),
  };
}

/** Options of {@link FineTuningTask}. */
export interface FineTuningTaskOptions {
  /** Number of classes (the head's output width), >= 2. */
  numClasses: number;
  /** Hidden widths of an MLP head; `[]` is a linear head. */
  headHidden: readonly number[];
  /** Draws the head's initial weights (uniform ±1/sqrt(fan in), zero bias). */
  rng: Rng;
  /** Initial head weights by name (`head/dense1/kernel` `[in, out]`, `head/dense1/bias`, ...) instead of drawn ones. */
  headWeights?: Readonly<Record<string, tf.Tensor>>;
  /** Fixed per-dimension input statistics of the head (`[dim]` each; copied); none: no standardisation. */
  inputStats?: { mean: tf.Tensor1D; scale: tf.Tensor1D };
  /** Run the encoder in training mode (batch norm, dropout) during steps. Default true. */
  trainEncoder?: boolean;
  /** Plain-JSON settings a resumed run must match (saved in checkpoints as the method's options). */
  settings?: Readonly<Record<string, unknown>>;
}

/** The settings of {@link FineTuningTask.paramGroups}. */
export interface FineTuningGroupOptions {
  /** Peak learning rate of the encoder. */
  lr: number;
  /** Peak learning rate of the head. */
  headLr: number;
  /** Weight decay of weight matrices (rank >= 2); biases and norm scales get none. */
  weightDecay: number;
  /** Freeze the encoder (train the head only). */
  freezeEncoder: boolean;
}

/**
 * The fine-tuning task as a {@link Method} (`fine-tune`): the Trainer owns the loop (data order,
 * guard, clipping, schedule, groups, checkpoints, progress); the task says what the loss of a
 * labelled batch is. Checkpoints hold the encoder's variables, the head and the input statistics.
 * Disposing the task frees the head and the statistics, not the encoder.
 */
export class FineTuningTask<B> implements Method<LabelledBatch<B>> {
  readonly name = 'fine-tune';
  readonly encoder: Encoder<LabelledBatch<B>>;
  readonly options: Readonly<Record<string, unknown>>;
  /** The head's variables, `head/dense<i>/{kernel,bias}`. */
  readonly head: ParamMap;
  /** The head's fixed input statistics, as non-trainable variables (so checkpoints hold them). */
  readonly inputStats: { mean: tf.Variable; scale: tf.Variable } | undefined;
  /** `input/mean` and `input/scale` when the task has input statistics. */
  private readonly stats: ParamMap = new Map();
  private readonly trainEncoder: boolean;
  private readonly dim: number;

  constructor(
    readonly base: Encoder<B>,
    options: FineTuningTaskOptions,
  ) {
    const dim = base.config.outputDim;
    if (!Number.isInteger(dim) || dim < 1) {
      throw new ConfigError(`encoder.config.outputDim must be a positive integer, got ${dim}`, { field: 'encoder' });
    }
    for (const k of base.allVariables().keys()) {
      if (k.startsWith('head/') || k.startsWith('input/')) {
        throw new ConfigError(`encoder variable '${k}' clashes with the head's names`, { field: 'encoder' });
      }
    }
    this.dim = dim;
    this.trainEncoder = options.trainEncoder ?? true;
    this.options = { ...options.settings };
    this.head = buildHead([dim, ...options.headHidden, options.numClasses], options.rng, options.headWeights);
    const s = options.inputStats;
    this.inputStats = s
      ? {
          mean: adoptParam(this.stats, 'input/mean', () => s.mean.clone(), { trainable: false }),
          scale: adoptParam(this.stats, 'input/scale', () => s.scale.clone(), { trainable: false }),
        }
      : undefined;
    this.encoder = {
      config: base.config,
      apply: (b, training) => base.apply(b.inputs, training),
      trainableVariables: () => base.trainableVariables(),
      allVariables: () => base.allVariables(),
      dispose: () => undefined,
    };
  }

  /**
   * The Trainer's parameter groups of this task: `encoder` and `encoder-no-decay` at `lr`
   * (frozen with `freezeEncoder`), `head` and `head-no-decay` at `headLr`; the `*-no-decay`
   * groups (biases, norm scales: rank < 2) without weight decay.
   */
  paramGroups(o: FineTuningGroupOptions): ParamGroupOptions[] {
    const names = (vars: Map<string, tf.Variable>, matrices: boolean) =>
      [...vars].filter(([, v]) => v.rank >= 2 === matrices).map(([k]) => k);
    const enc = this.base.trainableVariables();
    const frozen = o.freezeEncoder;
    return [
      { name: 'encoder', params: names(enc, true), lr: o.lr, weightDecay: o.weightDecay, frozen },
      { name: 'encoder-no-decay', params: names(enc, false), lr: o.lr, weightDecay: 0, frozen },
      { name: 'head', params: names(this.head, true), lr: o.headLr, weightDecay: o.weightDecay },
      { name: 'head-no-decay', params: names(this.head, false), lr: o.headLr, weightDecay: 0 },
    ];
  }

  trainableVariables(): Map<string, tf.Variable> {
    return new Map([...this.base.trainableVariables(), ...this.head]);
  }

  stateVariables(): Map<string, tf.Variable> {
    return new Map([...this.base.allVariables(), ...this.head, ...this.stats]);
  }

  computeLoss(batch: LabelledBatch<B>): LossOutput {
    const z = this.base.apply(batch.inputs, this.trainEncoder);
    const logits = this.logitsOf(z);
    const y = tf.oneHot(batch.labels, logits.shape[1]);
    return { loss: tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar };
  }

  /** Class logits `[batch, classes]` of a batch of inputs, the encoder in inference mode. */
  logits(inputs: B): tf.Tensor2D {
    return tf.tidy(() => this.logitsOf(this.base.apply(inputs, false)));
  }

  embed(batch: LabelledBatch<B>): tf.Tensor2D {
    return this.base.apply(batch.inputs, false);
  }

  dispose(): void {
    disposeParams(this.head);
    disposeParams(this.stats);
  }

  /** Logits of the head from embeddings `[batch, dim]`, standardised when the task has input statistics. */
  private logitsOf(z: tf.Tensor2D): tf.Tensor2D {
    if (z.rank !== 2 || z.shape[1] !== this.dim) {
      throw new ShapeError(`encoder returned [${z.shape}], expected [batch, ${this.dim}] (config.outputDim)`);
    }
    const layers = this.head.size / 2;
    const s = this.inputStats;
    let x: tf.Tensor2D = s ? tf.div(tf.sub(z, s.mean), s.scale) : z;
    for (let i = 1; i <= layers; i++) {
      x = tf.add(tf.matMul(x, this.head.get(`head/dense${i}/kernel`)!), this.head.get(`head/dense${i}/bias`)!);
      if (i < layers) x = tf.relu(x);
    }
    return x;
  }
}

/** A fresh dense head `dims[0] -> ... -> dims[last]`; variables `head/dense<i>/{kernel,bias}`. */
function buildHead(dims: number[], rng: Rng, given: Readonly<Record<string, tf.Tensor>> | undefined): ParamMap {
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
  const params: ParamMap = new Map();
  for (const { i, fanIn, fanOut } of layers) {
    const k = `head/dense${i}/kernel`;
    const b = `head/dense${i}/bias`;
    const bound = 1 / Math.sqrt(fanIn);
    // torch nn.Linear's U(±1/sqrt(fan in)), drawn by tfjs's seeded uniform (createParam draws normals only).
    adoptParam(
      params,
      k,
      () => given?.[k]?.clone() ?? tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', rng.seed()),
    );
    adoptParam(params, b, () => given?.[b]?.clone() ?? tf.zeros([fanOut]));
  }
  return params;
}
