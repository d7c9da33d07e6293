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
  disposeParams,
  type Encoder,
  initLinear,
  type LossOutput,
  l2NormalizeRows,
  linear,
  type Method,
  type OptionsOf,
  type OptionTable,
  optionDefaults,
  optionSchema,
  type ParamMap,
  resolveOptions,
  type Rng,
} from '@autodidact/core';
import { convSmallConfig, createConvSmall } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { loadedPartner } from './data/loaded-partner.js';
import type { PairedBatch } from './data/paired-dataset.js';
import { BagOfTokensEncoder, bagOfTokensConfig } from './encoders/bag-of-tokens-encoder.js';
import { multimodalMethod } from './methods/multimodal-method.js';
import { CLIP_INIT_LOG_SCALE, CLIP_MAX_SCALE, clipLoss } from './objectives/clip-loss.js';

/**
 * Options of {@link Clip}: type, bounds, meaning and default of each; every one has a default.
 * (The learning rate is the Trainer's.)
 */
export const CLIP_OPTIONS = {
  projectionDim: { type: 'integer', default: 64, min: 1, description: 'width of the shared embedding space' },
  /** log(1/0.07), the paper's initial temperature 0.07. */
  initLogScale: {
    type: 'number',
    default: CLIP_INIT_LOG_SCALE,
    description: 'initial log of the logit scale (log(1/0.07))',
  },
  /** 100, the paper's clip of the logit scale. */
  maxScale: { type: 'number', default: CLIP_MAX_SCALE, above: 0, description: 'upper bound of the logit scale' },
} satisfies OptionTable;
/** Options of {@link Clip} ({@link CLIP_OPTIONS}). */
export type ClipOptions = OptionsOf<typeof CLIP_OPTIONS>;
const CLIP_DEFAULTS = optionDefaults(CLIP_OPTIONS);
const CLIP_SCHEMA = optionSchema(CLIP_OPTIONS);

/** Options of the `clip` method (docs/methods/clip.md): {@link CLIP_OPTIONS} and the towers' width. */
export const CLIP_METHOD_OPTIONS = {
  ...CLIP_OPTIONS,
  width: {
    type: 'integer',
    default: 16,
    min: 1,
    max: 1024,
    description: 'first-stage channels of the conv towers (images, spectrograms); the text tower is 4x as wide',
  },
} satisfies OptionTable;
/** Options of the `clip` method ({@link CLIP_METHOD_OPTIONS}). */
export type ClipMethodOptions = OptionsOf<typeof CLIP_METHOD_OPTIONS>;

/**
 * `--method clip`, from a paired folder. Its towers are those of the spoken-digit and
 * description pairings ({@link runClipExperiment}): a `conv-small` for the images, another for
 * spectrograms, a bag-of-tokens encoder four times as wide for texts.
 */
export const CLIP_METHOD = multimodalMethod({
  name: 'clip',
  summary: 'CLIP: image and sound / text towers, symmetric InfoNCE with a learned temperature (Radford et al. 2021)',
  options: CLIP_METHOD_OPTIONS,
  minBatchSize: { size: 2, reason: "CLIP's InfoNCE contrasts each pair with the other pairs of its batch" },
  create: ({ sampleShape, options, rng }) => {
    const partner = loadedPartner();
    const { width, ...clip } = options;
    const image = createConvSmall(convSmallConfig(sampleShape, { width, blocks: 3 }), rng, 'image/');
    const other: Encoder<tf.Tensor> =
      partner.kind === 'audio'
        ? createConvSmall(convSmallConfig(partner.shape, { width, blocks: 3 }), rng, 'audio/')
        : new BagOfTokensEncoder(bagOfTokensConfig(partner.vocab, 4 * width), rng, 'text/');
    return new Clip(image, other, rng, clip);
  },
});

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
    // Checked against CLIP_OPTIONS' bounds (projectionDim an integer >= 1, maxScale > 0).
    const o = resolveOptions('CLIP', CLIP_SCHEMA, CLIP_DEFAULTS, options);
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
