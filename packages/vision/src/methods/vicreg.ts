/**
 * VICReg (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance Regularization
 * for Self-Supervised Learning", ICLR): the two views' expansions are pulled together (MSE),
 * each dimension's std is held above 1 by a hinge (variance) and off-diagonal covariances are
 * pushed to 0 (covariance). The objective is core's `vicreg`; its three terms are logged.
 */
import {
  type LossOutput,
  type Rng,
  type StepContext,
  vicreg,
  vicregTerms,
  type BatchSizeMinimum,
  type MlpHead,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { headWidthsSchema } from './view-options.js';

/** VICReg's options and their defaults (docs/methods/vicreg.md). */
export const VICREG_DEFAULTS = {
  ...TWO_VIEW_DEFAULTS,
  hiddenDim: 512,
  /**
   * Expander output width. 512 rather than 128: at 200 steps x 64 on Fashion-MNIST, 512/512
   * beat 256/128 by 0.007 (linear) / 0.012 (kNN), for 10-20% more time per step.
   */
  projectionDim: 512,
  simCoeff: 25,
  stdCoeff: 25,
  covCoeff: 1,
};

/** Type, bounds and meaning of each option of {@link VICREG_DEFAULTS}. */
export const VICREG_SCHEMA: OptionSchema<typeof VICREG_DEFAULTS> = {
  ...TWO_VIEW_SCHEMA,
  ...headWidthsSchema(
    "Expander hidden width (the paper's expander is wide: 8192; 512 is CPU-sized).",
    'Expander output width.',
  ),
  simCoeff: { type: 'number', min: 0, description: "Weight of the invariance (MSE) term (the paper's 25)." },
  stdCoeff: { type: 'number', min: 0, description: "Weight of the variance hinge (the paper's 25)." },
  covCoeff: { type: 'number', min: 0, description: "Weight of the covariance term (the paper's 1)." },
};
/** Options of {@link VICReg}. */
export type VICRegMethodOptions = typeof VICREG_DEFAULTS;

/** VICReg: invariance + variance + covariance on the two views' expansions. */
export const VICREG_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: "VICReg's variance and covariance terms are taken over the batch; with one image they are 0",
};

export class VICReg extends TwoViewMethod<VICRegMethodOptions> {
  readonly name = 'vicreg';
  readonly minBatchSize = VICREG_MIN_BATCH;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<VICRegMethodOptions>, rng: Rng) {
    // The head is the paper's expander: its variables are under `expander/`.
    super(resolveOptions('vicreg', VICREG_SCHEMA, VICREG_DEFAULTS, options), sampleShape, rng, 'expander/');
    const o = this.options;
    this.objective = vicreg({ simCoeff: o.simCoeff, stdCoeff: o.stdCoeff, covCoeff: o.covCoeff });
  }

  /** The expander (the paper's name for the projection head). */
  get expander(): MlpHead {
    return this.projector;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // The three terms logged are the global pair's.
    return this.pairLoss(
      batch,
      ctx.rng,
      (z1, z2) => this.objective.compute({ z1, z2 }),
      (z1, z2) => ({ ...vicregTerms(z1, z2) }),
    );
  }
}
