/**
 * VICReg (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance Regularization
 * for Self-Supervised Learning", ICLR): the two views' expansions are pulled together (MSE),
 * each dimension's std is held above 1 by a hinge (variance) and off-diagonal covariances are
 * pushed to 0 (covariance). The objective is core's `vicreg`; its three terms are logged.
 */
import {
  type LossOutput,
  type MlpHead,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  vicreg,
  vicregTerms,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** VICReg's options: type, bounds, meaning and default of each (docs/methods/vicreg.md). */
export const VICREG_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(
    512,
    512,
    "Expander hidden width (the paper's expander is wide: 8192; 512 is CPU-sized).",
    'Expander output width.',
  ),
  simCoeff: {
    type: 'number',
    default: 25,
    min: 0,
    description: "Weight of the invariance (MSE) term (the paper's 25).",
  },
  stdCoeff: { type: 'number', default: 25, min: 0, description: "Weight of the variance hinge (the paper's 25)." },
  covCoeff: { type: 'number', default: 1, min: 0, description: "Weight of the covariance term (the paper's 1)." },
} satisfies OptionTable;
/** Options of {@link VICReg}. */
export type VICRegMethodOptions = OptionsOf<typeof VICREG_OPTIONS>;

/** `--method vicreg`. */
export const VICREG_METHOD = visionMethod({
  name: 'vicreg',
  summary: 'VICReg: variance-invariance-covariance regularisation (Bardes, Ponce & LeCun 2022)',
  options: VICREG_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: "VICReg's variance and covariance terms are taken over the batch; with one image they are 0",
  },
  create: ({ sampleShape, options, rng }) => new VICReg(sampleShape, options, rng),
});

/** VICReg: invariance + variance + covariance on the two views' expansions. */
export class VICReg extends TwoViewMethod<VICRegMethodOptions> {
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<VICRegMethodOptions>, rng: Rng) {
    // The head is the paper's expander: its variables are under `expander/`.
    super(VICREG_METHOD, options, sampleShape, rng, 'expander/');
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
