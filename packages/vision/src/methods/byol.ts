/**
 * BYOL (Grill et al. 2020, "Bootstrap Your Own Latent"): an online network (encoder,
 * projector, predictor) predicts the projection that a target network (encoder, projector)
 * gives the other view; the target gets no gradient (stop-gradient) and follows the online
 * weights as an exponential moving average whose momentum rises from `baseMomentum` to 1 on a
 * cosine schedule. Loss: 2 - 2 cos(p, z') symmetrised over the two views.
 */
import {
  byolLoss,
  cosineMomentum,
  type LossOutput,
  MlpHead,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type NetEncoder,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { MomentumTarget, TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { baseMomentumSchema, headWidthsSchema } from './view-options.js';

export const BYOL_DEFAULTS = {
  ...TWO_VIEW_DEFAULTS,
  hiddenDim: 256,
  projectionDim: 64,
  baseMomentum: 0.99,
};

/** Type, bounds and meaning of each option of {@link BYOL_DEFAULTS}. */
export const BYOL_SCHEMA: OptionSchema<typeof BYOL_DEFAULTS> = {
  ...TWO_VIEW_SCHEMA,
  ...headWidthsSchema('Projector and predictor hidden width.', 'Projection width.'),
  baseMomentum: baseMomentumSchema('EMA momentum at step 0 (rises to 1 by the end of training).'),
};
export type BYOLOptions = typeof BYOL_DEFAULTS;

export const BYOL_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'its projector and predictor normalise over the images of the batch (batch norm)',
};

export class BYOL extends TwoViewMethod<BYOLOptions> {
  readonly name = 'byol';
  readonly minBatchSize = BYOL_MIN_BATCH;
  readonly predictor: MlpHead;
  /** The target network: encoder and projector, moved by EMA only (checkpointed under `target/`). */
  readonly target: MomentumTarget;
  private readonly objective = byolLoss();

  constructor(sampleShape: number[], options: Partial<BYOLOptions>, rng: Rng) {
    super(resolveOptions('byol', BYOL_SCHEMA, BYOL_DEFAULTS, options), sampleShape, rng);
    const o = this.options;
    this.predictor = this.addTrained(new MlpHead('predictor/', o.projectionDim, o.hiddenDim, o.projectionDim, rng));
    // The target starts as a copy of the online network.
    this.target = this.addKept(new MomentumTarget(this, o, sampleShape, rng, 'target/'));
  }

  /** The target's encoder. */
  get targetEncoder(): NetEncoder {
    return this.target.encoder;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops are predicted online only; the target sees the global views.
    const { global, p, locals } = this.predictCrops(batch, ctx.rng, (z) => this.predictor.apply(z, true));
    const t = this.target.project(global);
    return this.predictionLoss(p, t, locals, (prediction, target) => this.objective.compute({ prediction, target }));
  }

  afterStep(ctx: StepContext): void {
    this.target.follow(cosineMomentum(ctx.step, ctx.totalSteps, this.options.baseMomentum));
  }
}
