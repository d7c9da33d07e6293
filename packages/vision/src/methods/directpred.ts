/**
 * DirectPred (Tian, Chen & Ganguli 2021, "Understanding self-supervised learning dynamics
 * without contrastive pairs", ICML): BYOL with its learned predictor replaced by a linear one
 * set in closed form from the eigendecomposition of the online projections' correlation
 * matrix (sec. 5, eq. 18-19; core's `DirectPredPredictor`). The encoder and projector learn
 * by gradient; the predictor is updated after every optimizer step from the projections of
 * the batch just seen; the target is an EMA of the online network as in BYOL.
 */
import {
  byolLoss,
  cosineMomentum,
  DirectPredPredictor,
  type LossOutput,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { MomentumTarget, TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { baseMomentumSchema, headWidthsSchema } from './view-options.js';

/** DirectPred's options and their defaults (docs/methods/directpred.md). */
export const DIRECTPRED_DEFAULTS = {
  ...TWO_VIEW_DEFAULTS,
  hiddenDim: 256,
  projectionDim: 64,
  baseMomentum: 0.99,
  rho: 0.3,
  eps: 0.01,
  frequency: 1,
};

/** Type, bounds and meaning of each option of {@link DIRECTPRED_DEFAULTS}. */
export const DIRECTPRED_SCHEMA: OptionSchema<typeof DIRECTPRED_DEFAULTS> = {
  ...TWO_VIEW_SCHEMA,
  ...headWidthsSchema('Projector hidden width.', 'Projection width (the predictor is projectionDim x projectionDim).'),
  baseMomentum: baseMomentumSchema("EMA momentum of the target at step 0 (rises to 1 on BYOL's cosine schedule)."),
  rho: { type: 'number', min: 0, max: 1, description: "EMA factor of the correlation estimate (the authors' 0.3)." },
  eps: { type: 'number', min: 0, description: "Added to the normalised sqrt-eigenvalues (the authors' 0.01)." },
  frequency: { type: 'integer', min: 1, description: 'Recompute the predictor every this many steps.' },
};
/** Options of {@link DirectPred}. */
export type DirectPredMethodOptions = typeof DIRECTPRED_DEFAULTS;

/** BYOL with a closed-form (DirectPred) linear predictor. */
export const DIRECTPRED_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason:
    'its projector normalises over the images of the batch (batch norm) and its predictor is fitted to their correlation',
};

export class DirectPred extends TwoViewMethod<DirectPredMethodOptions> {
  readonly name = 'directpred';
  readonly minBatchSize = DIRECTPRED_MIN_BATCH;
  readonly predictor: DirectPredPredictor;
  /** The target network, moved by EMA only (checkpointed under `target/`). */
  readonly target: MomentumTarget;
  private readonly objective = byolLoss();
  /** Online projections of the last batch `[2N, p]`, gradient-free, for the predictor update. */
  private readonly lastProjections = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<DirectPredMethodOptions>, rng: Rng) {
    super(resolveOptions('directpred', DIRECTPRED_SCHEMA, DIRECTPRED_DEFAULTS, options), sampleShape, rng);
    const o = this.options;
    // Fitted in closed form, not by the optimizer: its state is kept, not trained.
    this.predictor = this.addKept(
      new DirectPredPredictor(o.projectionDim, { rho: o.rho, eps: o.eps, frequency: o.frequency, name: 'predictor' }),
      (p) => p.getState(),
    );
    this.target = this.addKept(new MomentumTarget(this, o, sampleShape, rng, 'target/'));
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops are predicted online only (the predictor is still fitted to the global
    // projections z); no gradient reaches the predictor's W.
    const { global, z, p, locals } = this.predictCrops(batch, ctx.rng, (x) => this.predictor.predict(x)); // [2N, p]
    this.lastProjections.set(z.clone());
    const t = this.target.project(global);
    return this.predictionLoss(p, t, locals, (prediction, target) => this.objective.compute({ prediction, target }));
  }

  afterStep(ctx: StepContext): void {
    this.lastProjections.take((z) => this.predictor.update(z));
    this.target.follow(cosineMomentum(ctx.step, ctx.totalSteps, this.options.baseMomentum));
  }
}
