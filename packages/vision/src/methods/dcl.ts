/**
 * DCL and DCLW (Yeh, Hong, Hsu, Liu, Chen & LeCun 2022, "Decoupled Contrastive Learning",
 * ECCV, eq. 6 and the weighting of sec. 4): SimCLR's architecture (encoder, projection head,
 * one pass over both views) with NT-Xent's positive removed from the denominator, which
 * decouples the positive and negative gradients (no negative-positive coupling factor, so
 * small batches train as well as large ones). DCLW weights each positive by the negative von
 * Mises-Fisher weight `2 - N softmax_i(cos(z_i, z'_i) / sigma)`, sigma = 0.5. The objectives
 * are core's `dcl` and `dclw`.
 */
import {
  type BatchSizeMinimum,
  type DclInputs,
  dcl,
  dclw,
  type LossOutput,
  type Objective,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { simclrArchitectureOptions } from './simclr.js';
import { TwoViewMethod } from './two-views.js';
import { visionMethod } from './view-options.js';

/** DCL's options: type, bounds, meaning and default of each (docs/methods/dcl.md). */
export const DCL_OPTIONS = simclrArchitectureOptions(0.1, "Temperature (the paper's 0.1).");
/** Options of {@link DCL} with `weighted: false`. */
export type DCLOptions = OptionsOf<typeof DCL_OPTIONS>;

/** DCLW's options: DCL's and the weighting's width (docs/methods/dclw.md). */
export const DCLW_OPTIONS = {
  ...DCL_OPTIONS,
  sigma: {
    type: 'number',
    default: 0.5,
    min: 0,
    description: "Width sigma of the von Mises-Fisher weighting (the paper's 0.5).",
  },
} satisfies OptionTable;
/** Options of {@link DCL} with `weighted: true`. */
export type DCLWOptions = OptionsOf<typeof DCLW_OPTIONS>;

const DCL_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'DCL contrasts each view with the other images of its batch only; with one image it has no negatives',
};

/** `--method dcl`. */
export const DCL_METHOD = visionMethod({
  name: 'dcl',
  summary: 'DCL: NT-Xent without the positive in the denominator (Yeh et al. 2022)',
  options: DCL_OPTIONS,
  minBatchSize: DCL_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, false),
});

/** `--method dclw`. */
export const DCLW_METHOD = visionMethod({
  name: 'dclw',
  summary: 'DCLW: DCL with von Mises-Fisher weighted positives (Yeh et al. 2022)',
  options: DCLW_OPTIONS,
  minBatchSize: DCL_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, true),
});

/** DCL (`weighted` false) or DCLW (`weighted` true). */
export class DCL extends TwoViewMethod<DCLOptions & Partial<DCLWOptions>> {
  private readonly objective: Objective<DclInputs>;

  constructor(sampleShape: number[], options: Partial<DCLWOptions>, rng: Rng, weighted = false) {
    super(weighted ? DCLW_METHOD : DCL_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.objective = weighted
      ? dclw({ temperature: o.temperature, sigma: o.sigma })
      : dcl({ temperature: o.temperature });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 }));
  }
}
