/**
 * SimCLR (Chen, Kornblith, Norouzi, Hinton 2020, "A Simple Framework for Contrastive Learning
 * of Visual Representations"): two augmented views of each image go through the encoder and
 * an MLP projection head; NT-Xent pulls the two views of an image together against the other
 * 2N-2 views of the batch. The encoder's output (before the head) is the representation.
 */
import {
  type LossOutput,
  ntXent,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/**
 * The options of a contrastive method on SimCLR's architecture (SimCLR, DCL, DCLW): the two-view
 * options, the objective's `temperature` (each method's own default and meaning), SimCLR's
 * projection head.
 */
export function simclrArchitectureOptions(temperature: number, description: string) {
  return {
    ...TWO_VIEW_OPTIONS,
    temperature: { type: 'number', default: temperature, above: 0, description },
    ...headWidths(256, 64, 'Projection head hidden width.', 'Projection output width.'),
  } satisfies OptionTable;
}

/** SimCLR's options: type, bounds, meaning and default of each (docs/methods/simclr.md). */
export const SIMCLR_OPTIONS = simclrArchitectureOptions(0.2, 'NT-Xent temperature.');
export type SimCLROptions = OptionsOf<typeof SIMCLR_OPTIONS>;

/** `--method simclr`. */
export const SIMCLR_METHOD = visionMethod({
  name: 'simclr',
  summary: 'SimCLR: NT-Xent between two augmented views (Chen et al. 2020)',
  options: SIMCLR_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: 'NT-Xent tells each image apart from the other images of its batch; with one image the loss is 0',
  },
  create: ({ sampleShape, options, rng }) => new SimCLR(sampleShape, options, rng),
});

export class SimCLR extends TwoViewMethod<SimCLROptions> {
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<SimCLROptions>, rng: Rng) {
    super(SIMCLR_METHOD, options, sampleShape, rng);
    this.objective = ntXent({ temperature: this.options.temperature });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // One forward pass over both views (batch-norm statistics over all 2N images, as SimCLR).
    return this.pairLoss(batch, ctx.rng, (z1, z2) => this.objective.compute({ z1, z2 }));
  }
}
