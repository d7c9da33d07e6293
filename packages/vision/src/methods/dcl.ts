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
  dcl,
  dclw,
  type LossOutput,
  type Objective,
  type DclInputs,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { simclrArchitectureDefaults, simclrArchitectureSchema } from './simclr.js';
import { TwoViewMethod } from './two-views.js';

/** DCL's options and their defaults (docs/methods/dcl.md). */
export const DCL_DEFAULTS = simclrArchitectureDefaults(0.1);

/** Type, bounds and meaning of each option of {@link DCL_DEFAULTS}. */
export const DCL_SCHEMA: OptionSchema<typeof DCL_DEFAULTS> = simclrArchitectureSchema("Temperature (the paper's 0.1).");
/** Options of {@link DCL} with `weighted: false`. */
export type DCLOptions = typeof DCL_DEFAULTS;

/** DCLW's options and their defaults (docs/methods/dclw.md). */
export const DCLW_DEFAULTS = {
  ...DCL_DEFAULTS,
  sigma: 0.5,
};

/** Type, bounds and meaning of each option of {@link DCLW_DEFAULTS}. */
export const DCLW_SCHEMA: OptionSchema<typeof DCLW_DEFAULTS> = {
  ...DCL_SCHEMA,
  sigma: { type: 'number', min: 0, description: "Width sigma of the von Mises-Fisher weighting (the paper's 0.5)." },
};
/** Options of {@link DCL} with `weighted: true`. */
export type DCLWOptions = typeof DCLW_DEFAULTS;

export const DCL_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'DCL contrasts each view with the other images of its batch only; with one image it has no negatives',
};

/** DCL (`weighted` false) or DCLW (`weighted` true). */
export class DCL extends TwoViewMethod<DCLOptions & Partial<DCLWOptions>> {
  readonly name: 'dcl' | 'dclw';
  readonly minBatchSize = DCL_MIN_BATCH;
  private readonly objective: Objective<DclInputs>;

  constructor(sampleShape: number[], options: Partial<DCLWOptions>, rng: Rng, weighted = false) {
    const name = weighted ? 'dclw' : 'dcl';
    super(
      weighted
        ? resolveOptions(name, DCLW_SCHEMA, DCLW_DEFAULTS, options)
        : resolveOptions(name, DCL_SCHEMA, DCL_DEFAULTS, options),
      sampleShape,
      rng,
    );
    this.name = name;
    const o = this.options;
    this.objective = weighted
      ? dclw({ temperature: o.temperature, sigma: o.sigma })
      : dcl({ temperature: o.temperature });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 }));
  }
}
