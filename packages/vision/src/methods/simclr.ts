/**
 * SimCLR (Chen, Kornblith, Norouzi, Hinton 2020, "A Simple Framework for Contrastive Learning
 * of Visual Representations"): two augmented views of each image go through the encoder and
 * an MLP projection head; NT-Xent pulls the two views of an image together against the other
 * 2N-2 views of the batch. The encoder's output (before the head) is the representation.
 */
import {
  type LossOutput,
  ntXent,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { headWidthsSchema } from './view-options.js';

/** SimCLR's projection head, also that of the methods on its architecture (DCL, DCLW). */
export const SIMCLR_HEAD_DEFAULTS = {
  hiddenDim: 256,
  projectionDim: 64,
};

/** Type, bounds and meaning of each option of {@link SIMCLR_HEAD_DEFAULTS}. */
export const SIMCLR_HEAD_SCHEMA: OptionSchema<typeof SIMCLR_HEAD_DEFAULTS> = headWidthsSchema(
  'Projection head hidden width.',
  'Projection output width.',
);

/**
 * Defaults of a contrastive method on SimCLR's architecture (SimCLR, DCL, DCLW): the two-view
 * options, the objective's `temperature` (each method's own default), SimCLR's head.
 */
export function simclrArchitectureDefaults(temperature: number) {
  return { ...TWO_VIEW_DEFAULTS, temperature, ...SIMCLR_HEAD_DEFAULTS };
}

/** Type, bounds and meaning of each option of {@link simclrArchitectureDefaults}; `temperature` as the method describes it. */
export function simclrArchitectureSchema(
  temperature: string,
): OptionSchema<ReturnType<typeof simclrArchitectureDefaults>> {
  return {
    ...TWO_VIEW_SCHEMA,
    temperature: { type: 'number', above: 0, description: temperature },
    ...SIMCLR_HEAD_SCHEMA,
  };
}

export const SIMCLR_DEFAULTS = simclrArchitectureDefaults(0.2);

/** Type, bounds and meaning of each option of {@link SIMCLR_DEFAULTS}. */
export const SIMCLR_SCHEMA: OptionSchema<typeof SIMCLR_DEFAULTS> = simclrArchitectureSchema('NT-Xent temperature.');
export type SimCLROptions = typeof SIMCLR_DEFAULTS;

export const SIMCLR_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'NT-Xent tells each image apart from the other images of its batch; with one image the loss is 0',
};

export class SimCLR extends TwoViewMethod<SimCLROptions> {
  readonly name = 'simclr';
  readonly minBatchSize = SIMCLR_MIN_BATCH;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<SimCLROptions>, rng: Rng) {
    super(resolveOptions('simclr', SIMCLR_SCHEMA, SIMCLR_DEFAULTS, options), sampleShape, rng);
    this.objective = ntXent({ temperature: this.options.temperature });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // One forward pass over both views (batch-norm statistics over all 2N images, as SimCLR).
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 }));
  }
}
