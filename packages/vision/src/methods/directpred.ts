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
  DirectPredPredictor,
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { MomentumTarget, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { baseMomentumOption, headWidths, visionMethod } from './view-options.js';

/** DirectPred's options: type, bounds, meaning and default of each (docs/methods/directpred.md). */
export const DIRECTPRED_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(
    256,
    64,
    'Projector hidden width.',
    'Projection width (the predictor is projectionDim x projectionDim).',
  ),
  baseMomentum: baseMomentumOption(
    0.99,
    "EMA momentum of the target at step 0 (rises to 1 on BYOL's cosine schedule).",
  ),
  rho: {
    type: 'number',
    default: 0.3,
    min: 0,
    max: 1,
    description: "EMA factor of the correlation estimate (the authors' 0.3).",
  },
  eps: {
    type: 'number',
    default: 0.01,
    min: 0,
    description: "Added to the normalised sqrt-eigenvalues (the authors' 0.01).",
  },
  frequency: { type: 'integer', default: 1, min: 1, description: 'Recompute the predictor every this many steps.' },
} satisfies OptionTable;
/** Options of {@link DirectPred}. */
export type DirectPredMethodOptions = OptionsOf<typeof DIRECTPRED_OPTIONS>;

/** `--method directpred`. */
export const DIRECTPRED_METHOD = visionMethod({
  name: 'directpred',
  summary: 'DirectPred: BYOL with a closed-form linear predictor (Tian, Chen & Ganguli 2021)',
  options: DIRECTPRED_OPTIONS,
  minBatchSize: {
    size: 2,
    reason:
      'its projector normalises over the images of the batch (batch norm) and its predictor is fitted to their correlation',
  },
  create: ({ sampleShape, options, rng }) => new DirectPred(sampleShape, options, rng),
});

/** BYOL with a closed-form (DirectPred) linear predictor. */
export class DirectPred extends TwoViewMethod<DirectPredMethodOptions> {
  readonly predictor: DirectPredPredictor;
  /** The target network, moved by EMA only (checkpointed under `target/`). */
  readonly target: MomentumTarget;
  private readonly objective = byolLoss();
  /** Online projections of the last batch `[2N, p]`, gradient-free, for the predictor update. */
  private readonly lastProjections = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<DirectPredMethodOptions>, rng: Rng) {
    super(DIRECTPRED_METHOD, options, sampleShape, rng);
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
    this.target.followSchedule(ctx);
  }
}
