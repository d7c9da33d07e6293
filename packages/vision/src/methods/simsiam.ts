/**
 * SimSiam (Chen & He 2021, "Exploring Simple Siamese Representation Learning", CVPR): one
 * network (encoder, projector) and a predictor MLP; the loss is the symmetric negative cosine
 * between the prediction of one view and the gradient-stopped projection of the other
 * (eq. 4). No negatives, no momentum encoder: the stop-gradient is what avoids collapse.
 */
import {
  type LayersEncoder,
  type LossOutput,
  type Method,
  MlpHead,
  mergeVariables,
  type Rng,
  type StepContext,
  simsiamLoss,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import { resolveOptions } from './options.js';
import { splitViews, stackedViews } from './two-views.js';
import { buildEncoder, buildViews, IMAGE_METHOD_DEFAULTS } from './view-options.js';

/** SimSiam's options and their defaults (docs/methods/simsiam.md). */
export const SIMSIAM_DEFAULTS = {
  ...IMAGE_METHOD_DEFAULTS,
  /** Projector hidden width. */
  hiddenDim: 256,
  /** Projection width (the predictor's input and output). */
  projectionDim: 128,
  /** Predictor bottleneck width (the paper uses a quarter of the projection width). */
  predictorHiddenDim: 32,
};
/** Options of {@link SimSiam}. */
export type SimSiamOptions = typeof SIMSIAM_DEFAULTS;

/** SimSiam: predictor + stop-gradient, no target network. */
export class SimSiam implements Method<tf.Tensor> {
  readonly name = 'simsiam';
  readonly options: SimSiamOptions;
  readonly encoder: LayersEncoder;
  readonly projector: MlpHead;
  readonly predictor: MlpHead;
  private readonly views: Augmentation;
  private readonly objective = simsiamLoss();

  constructor(sampleShape: number[], options: Partial<SimSiamOptions>, rng: Rng) {
    this.options = resolveOptions('simsiam', SIMSIAM_DEFAULTS, options);
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    this.projector = new MlpHead('projector/', this.encoder.config.outputDim, o.hiddenDim, o.projectionDim, rng);
    this.predictor = new MlpHead('predictor/', o.projectionDim, o.predictorHiddenDim, o.projectionDim, rng);
    this.views = buildViews(o);
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.trainableVariables(),
      this.projector.trainableVariables(),
      this.predictor.trainableVariables(),
    );
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.projector.allVariables(), this.predictor.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const z = this.projector.apply(this.encoder.apply(stackedViews(batch, this.views, ctx.rng), true), true); // [2N, p]
    const p = this.predictor.apply(z, true); // [2N, p]
    const [z1, z2] = splitViews(z);
    const [p1, p2] = splitViews(p);
    return { loss: this.objective.compute({ p1, p2, z1, z2 }) };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    for (const part of [this.encoder, this.projector, this.predictor]) part.dispose();
  }
}
