/**
 * BYOL (Grill et al. 2020, "Bootstrap Your Own Latent"): an online network (encoder,
 * projector, predictor) predicts the projection that a target network (encoder, projector)
 * gives the other view; the target gets no gradient (stop-gradient) and follows the online
 * weights as an exponential moving average whose momentum rises from `baseMomentum` to 1 on a
 * cosine schedule. Loss: 2 - 2 cos(p, z') symmetrised over the two views.
 */
import {
  byolLoss,
  type LossOutput,
  type MlpHead,
  type NetEncoder,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { HEAD_BATCH_NORM, MomentumTarget, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { baseMomentumOption, headWidths, visionMethod } from './view-options.js';

/** BYOL's options: type, bounds, meaning and default of each (docs/methods/byol.md). */
export const BYOL_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 64, 'Projector and predictor hidden width.', 'Projection width.'),
  baseMomentum: baseMomentumOption(0.99, 'EMA momentum at step 0 (rises to 1 by the end of training).'),
} satisfies OptionTable;
export type BYOLOptions = OptionsOf<typeof BYOL_OPTIONS>;

/** `--method byol`. */
export const BYOL_METHOD = visionMethod({
  name: 'byol',
  summary: 'BYOL: predictor + stop-gradient + EMA target (Grill et al. 2020)',
  options: BYOL_OPTIONS,
  minBatchSize: HEAD_BATCH_NORM,
  create: ({ sampleShape, options, rng }) => new BYOL(sampleShape, options, rng),
});

export class BYOL extends TwoViewMethod<BYOLOptions> {
  readonly predictor: MlpHead;
  /** The target network: encoder and projector, moved by EMA only (checkpointed under `target/`). */
  readonly target: MomentumTarget;
  private readonly objective = byolLoss();

  constructor(sampleShape: number[], options: Partial<BYOLOptions>, rng: Rng) {
    super(BYOL_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.predictor = this.addPredictor(rng);
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
    this.target.followSchedule(ctx);
  }
}
