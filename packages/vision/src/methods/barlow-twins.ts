/**
 * Barlow Twins (Zbontar, Jing, Misra, LeCun & Deny 2021, "Barlow Twins: Self-Supervised
 * Learning via Redundancy Reduction", ICML): the cross-correlation matrix of the two views'
 * batch-standardised projections is pushed towards the identity (eq. 1): invariance on the
 * diagonal, redundancy reduction off it. The objective is core's `barlowTwins`.
 */
import {
  barlowTwins,
  type LossOutput,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { headWidthsSchema } from './view-options.js';

/** Barlow Twins' options and their defaults (docs/methods/barlow-twins.md). */
export const BARLOW_TWINS_DEFAULTS = {
  ...TWO_VIEW_DEFAULTS,
  hiddenDim: 512,
  /**
   * Projection width D (the cross-correlation matrix is D x D). 512 rather than 128 (with
   * lambda 0.004): at 200 steps x 64 on Fashion-MNIST it beat 256/128 (lambda 0.008) by 0.005
   * (linear) / 0.008 (kNN); the paper finds wider projectors better throughout.
   */
  projectionDim: 512,
  /**
   * Off-diagonal weight. The paper's 5.1e-3 is tuned for D = 8192; about 2/D balances the two
   * terms for the small projections used here.
   */
  lambda: 0.004,
};

/** Type, bounds and meaning of each option of {@link BARLOW_TWINS_DEFAULTS}. */
export const BARLOW_TWINS_SCHEMA: OptionSchema<typeof BARLOW_TWINS_DEFAULTS> = {
  ...TWO_VIEW_SCHEMA,
  ...headWidthsSchema('Projector hidden width.', 'Projection width D (the cross-correlation matrix is D x D).'),
  lambda: { type: 'number', min: 0, description: "Off-diagonal weight. The paper's 5.1e-3 is tuned for D = 8192." },
};
/** Options of {@link BarlowTwins}. */
export type BarlowTwinsMethodOptions = typeof BARLOW_TWINS_DEFAULTS;

/** Barlow Twins: cross-correlation of the two views' projections towards the identity. */
export const BARLOW_TWINS_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason:
    'Barlow Twins standardises each embedding dimension over the batch; with one image its standard deviation is 0',
};

export class BarlowTwins extends TwoViewMethod<BarlowTwinsMethodOptions> {
  readonly name = 'barlow-twins';
  readonly minBatchSize = BARLOW_TWINS_MIN_BATCH;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<BarlowTwinsMethodOptions>, rng: Rng) {
    super(resolveOptions('barlow-twins', BARLOW_TWINS_SCHEMA, BARLOW_TWINS_DEFAULTS, options), sampleShape, rng);
    this.objective = barlowTwins({ lambda: this.options.lambda });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 })); // [N, D] each
  }
}
