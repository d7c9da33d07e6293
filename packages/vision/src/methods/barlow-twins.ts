/**
 * Barlow Twins (Zbontar, Jing, Misra, LeCun & Deny 2021, "Barlow Twins: Self-Supervised
 * Learning via Redundancy Reduction", ICML): the cross-correlation matrix of the two views'
 * batch-standardised projections is pushed towards the identity (eq. 1): invariance on the
 * diagonal, redundancy reduction off it. The objective is core's `barlowTwins`.
 */
import {
  barlowTwins,
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** Barlow Twins's options: type, bounds, meaning and default of each (docs/methods/barlow-twins.md). */
export const BARLOW_TWINS_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(512, 512, 'Projector hidden width.', 'Projection width D (the cross-correlation matrix is D x D).'),
  /**
   * Off-diagonal weight. The paper's 5.1e-3 is tuned for D = 8192; about 2/D balances the two
   * terms for the small projections used here.
   */
  lambda: {
    type: 'number',
    default: 0.004,
    min: 0,
    description: "Off-diagonal weight. The paper's 5.1e-3 is tuned for D = 8192.",
  },
} satisfies OptionTable;
/** Options of {@link BarlowTwins}. */
export type BarlowTwinsMethodOptions = OptionsOf<typeof BARLOW_TWINS_OPTIONS>;

/** `--method barlow-twins`. */
export const BARLOW_TWINS_METHOD = visionMethod({
  name: 'barlow-twins',
  summary: 'Barlow Twins: cross-correlation of two views towards the identity (Zbontar et al. 2021)',
  options: BARLOW_TWINS_OPTIONS,
  minBatchSize: {
    size: 2,
    reason:
      'Barlow Twins standardises each embedding dimension over the batch; with one image its standard deviation is 0',
  },
  create: ({ sampleShape, options, rng }) => new BarlowTwins(sampleShape, options, rng),
});

/** Barlow Twins: cross-correlation of the two views' projections towards the identity. */
export class BarlowTwins extends TwoViewMethod<BarlowTwinsMethodOptions> {
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<BarlowTwinsMethodOptions>, rng: Rng) {
    super(BARLOW_TWINS_METHOD, options, sampleShape, rng);
    this.objective = barlowTwins({ lambda: this.options.lambda });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 })); // [N, D] each
  }
}
