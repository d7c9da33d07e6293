/**
 * CLIP (Radford et al. 2021, "Learning Transferable Visual Models From Natural Language
 * Supervision"): two encoders of different modalities, each followed by a linear projection
 * to a shared space, trained so that the two views of one example (an image and its spoken
 * digit, an image and its description) are nearest among the batch under cosine similarity.
 * The objective is the symmetric InfoNCE of {@link clipLoss} with a learned log-temperature.
 *
 * A {@link Method} over paired batches ({@link PairedBatch}): core's Trainer runs it (the
 * paper's optimizer is Adam), with checkpoints, exact resume, the non-finite guard and progress.
 */
import {
  adoptParam,
  ConfigError,
  disposeParams,
  type Encoder,
  initLinear,
  type LossOutput,
  l2NormalizeRows,
  linear,
  type Method,
  type ParamMap,
  type Rng,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { PairedBatch } from './data/paired-dataset.js';
import { CLIP_INIT_LOG_SCALE, CLIP_MAX_SCALE, clipLoss } from './objectives/clip-loss.js';

/** Options of {@link Clip}; every field has a default. (The learning rate is the Trainer's.) */
export interface ClipOptions {
  /** Width of the shared embedding space. Default 64. */
  projectionDim: number;
  /** Initial log logit-scale. Default log(1/0.07). */
  initLogScale: number;
  /** Upper bound of the logit scale. Default 100. */
  maxScale: number;
}

/** Defaults of {@link ClipOptions}. */
export const CLIP_DEFAULTS: Readonly<ClipOptions> = {
  projectionDim: 64,
  initLogScale: CLIP_INIT_LOG_SCALE,
  maxScale: CLIP_MAX_SCALE,
};

/** Two encoders, two projections and a learned temperature, trained on paired batches. */
export class Clip implements Method<PairedBatch> {
  readonly name = 'clip';
  readonly options: Readonly<ClipOptions>;
  /** Tower A seen through a paired batch (its `a` side): what the Trainer's diagnostics and monitors embed. */
  readonly encoder: Encoder<PairedBatch>;
  /** Learned log of the logit scale (scalar); `logScale` in the parameters. */
  readonly logScale: tf.Variable;
  /** The projections (`projA/kernel`, `projA/bias`, `projB/...`) and `logScale`, in that order. */
  private readonly params: ParamMap = new Map();
  private readonly objective;

  /**
   * @param towerA encoder of modality A (e.g. images), `[batch, ...] -> [batch, dA]`; owned (disposed) by the method.
   * @param towerB encoder of modality B (e.g. audio or text), `[batch, ...] -> [batch, dB]`; owned likewise.
   * @throws ConfigError for a non-positive projection width or scale bound.
   */
  constructor(
    readonly towerA: Encoder<tf.Tensor>,
    readonly towerB: Encoder<tf.Tensor>,
    rng: Rng,
    options: Partial<ClipOptions> = {},
  ) {
    const o = { ...CLIP_DEFAULTS, ...options };
    if (!Number.isInteger(o.projectionDim) || o.projectionDim < 1) {
      throw new ConfigError(`expected a positive integer, got ${o.projectionDim}`, { field: 'projectionDim' });
    }
    if (!(o.maxScale > 0)) {
      throw new ConfigError(`expected a positive number, got ${o.maxScale}`, { field: 'maxScale' });
    }
    this.options = o;
    // CLIP's projections are plain linear maps; the cosine makes their scale irrelevant.
    const fanA = towerA.config.outputDim;
    const fanB = towerB.config.outputDim;
    initLinear(this.params, 'projA', fanA, o.projectionDim, rng, 1 / Math.sqrt(fanA));
    initLinear(this.params, 'projB', fanB, o.projectionDim, rng, 1 / Math.sqrt(fanB));
    this.logScale = adoptParam(this.params, 'logScale', () => tf.scalar(o.initLogScale));
    this.objective = clipLoss({ maxScale: o.maxScale });
    this.encoder = {
      config: towerA.config,
      apply: (batch, training) => towerA.apply(batch.a, training),
      trainableVariables: () => towerA.trainableVariables(),
      allVariables: () => towerA.allVariables(),
      dispose: () => {}, // the method owns tower A
    };
  }

  /** Unit-norm embedding of modality A in the shared space, `[batch, projectionDim]`. */
  embedA(batch: tf.Tensor, training = false): tf.Tensor2D {
    return tf.tidy(() =>
      l2NormalizeRows(linear(this.params, 'projA', this.towerA.apply(batch, training)) as tf.Tensor2D),
    );
  }

  /** Unit-norm embedding of modality B in the shared space, `[batch, projectionDim]`. */
  embedB(batch: tf.Tensor, training = false): tf.Tensor2D {
    return tf.tidy(() =>
      l2NormalizeRows(linear(this.params, 'projB', this.towerB.apply(batch, training)) as tf.Tensor2D),
    );
  }

  /** The symmetric InfoNCE of a paired batch (row i of `a` pairs with row i of `b`). */
  pairLoss(a: tf.Tensor, b: tf.Tensor, training = true): tf.Scalar {
    return tf.tidy(() =>
      this.objective.compute({
        a: this.embedA(a, training),
        b: this.embedB(b, training),
        logScale: this.logScale as tf.Scalar,
      }),
    );
  }

  /** The Trainer's loss of a paired batch (training mode). */
  computeLoss(batch: PairedBatch): LossOutput {
    return { loss: this.pairLoss(batch.a, batch.b, true) };
  }

  /** Modality A's shared-space embedding of a paired batch (inference mode). */
  embed(batch: PairedBatch): tf.Tensor2D {
    return this.embedA(batch.a);
  }

  /** Current logit scale `min(exp(logScale), maxScale)`. */
  scale(): number {
    return Math.min(Math.exp(this.logScale.dataSync()[0]!), this.options.maxScale);
  }

  /** Every trainable variable by stable name: `a/...`, `b/...`, `projA/...`, `projB/...`, `logScale`. */
  trainableVariables(): Map<string, tf.Variable> {
    return this.variables('trainableVariables');
  }

  /** The trainable variables and the towers' non-trainable state (batch-norm statistics). */
  stateVariables(): Map<string, tf.Variable> {
    return this.variables('allVariables');
  }

  private variables(which: 'trainableVariables' | 'allVariables'): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, v] of this.towerA[which]()) out.set(`a/${k}`, v);
    for (const [k, v] of this.towerB[which]()) out.set(`b/${k}`, v);
    for (const [k, v] of this.params) out.set(k, v);
    return out;
  }

  dispose(): void {
    this.towerA.dispose();
    this.towerB.dispose();
    disposeParams(this.params);
  }
}
