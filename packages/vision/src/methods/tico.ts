/**
 * TiCo (Zhu, Moraes, Karakulak, Sobol, Canziani & LeCun 2022, "TiCo: Transformation Invariance
 * and Covariance Contrast for Self-Supervised Visual Representation Learning", eq. 1-3):
 * SimCLR's architecture (encoder, projection head, both views in one pass) with core's `tico`
 * objective,
 *
 *   C_t = beta C_{t-1} + (1 - beta) Z1^T Z1 / N
 *   L   = -1/N sum_i z1_i . z2_i + rho/N sum_i z1_i^T C_t z1_i
 *
 * on l2-normalised projections: the two views agree, and view 1 is pushed away from the
 * directions earlier batches filled. The running covariance C `[D, D]` (zeros at the start) is
 * a non-trainable variable, replaced after each optimizer step by C_t of that step and
 * checkpointed as `tico/covariance`, so a resumed run contrasts with the same history.
 */
import {
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  tico,
  ticoCovarianceUpdate,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** TiCo's options: type, bounds, meaning and default of each (docs/methods/tico.md). */
export const TICO_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 128, 'Projection head hidden width.', 'Projection width D (the covariance is D x D).'),
  beta: {
    type: 'number',
    default: 0.9,
    min: 0,
    max: 1,
    description: "EMA coefficient of the running covariance (the paper's 0.9).",
  },
  rho: { type: 'number', default: 20, min: 0, description: "Weight of the covariance contrast (the paper's 20)." },
} satisfies OptionTable;
/** Options of {@link TiCo}. */
export type TiCoOptions = OptionsOf<typeof TICO_OPTIONS>;

/** `--method tico`. */
export const TICO_METHOD = visionMethod({
  name: 'tico',
  summary: 'TiCo: invariance + contrast with a running covariance (Zhu et al. 2022)',
  options: TICO_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: "TiCo's covariance is estimated over the images of the batch (and its head normalises over them)",
  },
  create: ({ sampleShape, options, rng }) => new TiCo(sampleShape, options, rng),
});

/** TiCo: invariance plus contrast against a running covariance of the projections. */
export class TiCo extends TwoViewMethod<TiCoOptions> {
  /** The running covariance C `[D, D]` of the l2-normalised view-1 projections. */
  readonly covariance: tf.Variable;
  private readonly objective;
  /** C_t of the last step, stored after the optimizer step. */
  private readonly nextCovariance = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<TiCoOptions>, rng: Rng) {
    super(TICO_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.objective = tico({ beta: o.beta, rho: o.rho });
    this.covariance = this.addStateVariable('tico/covariance', () => tf.zeros([o.projectionDim, o.projectionDim]));
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const covariance = this.covariance as tf.Tensor as tf.Tensor2D;
    return this.pairLoss(
      batch,
      ctx.rng,
      (z1, z2) => this.objective.compute({ z1, z2, covariance }), // [N, D] each
      (z1) => {
        // The running covariance follows global view 1 only, with or without local crops.
        this.nextCovariance.set(ticoCovarianceUpdate(z1, covariance, this.options.beta));
        return undefined; // no metrics of its own
      },
    );
  }

  /** The running covariance moves to this step's C_t. */
  afterStep(): void {
    this.nextCovariance.take((c) => this.covariance.assign(c));
  }
}
