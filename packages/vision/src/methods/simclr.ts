/**
 * SimCLR (Chen, Kornblith, Norouzi, Hinton 2020, "A Simple Framework for Contrastive Learning
 * of Visual Representations"): two augmented views of each image go through the encoder and
 * an MLP projection head; NT-Xent pulls the two views of an image together against the other
 * 2N-2 views of the batch. The encoder's output (before the head) is the representation.
 */
import { type LossOutput, type Method, ntXent, type Rng, type StepContext } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import type { LayersEncoder } from '@autodidact/core';
import { MlpHead, mergeVariables } from '@autodidact/core';
import { resolveOptions } from './options.js';
import { buildEncoder, buildViews, IMAGE_METHOD_DEFAULTS } from './view-options.js';

export const SIMCLR_DEFAULTS = {
  ...IMAGE_METHOD_DEFAULTS,
  /** NT-Xent temperature. */
  temperature: 0.2,
  /** Projection head hidden width. */
  hiddenDim: 256,
  /** Projection output width. */
  projectionDim: 64,
};
export type SimCLROptions = typeof SIMCLR_DEFAULTS;

export class SimCLR implements Method<tf.Tensor> {
  readonly name = 'simclr';
  readonly options: SimCLROptions;
  readonly encoder: LayersEncoder;
  readonly projector: MlpHead;
  private readonly views: Augmentation;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<SimCLROptions>, rng: Rng) {
    this.options = resolveOptions('simclr', SIMCLR_DEFAULTS, options);
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    this.projector = new MlpHead('projector/', this.encoder.config.outputDim, o.hiddenDim, o.projectionDim, rng);
    this.views = buildViews(o);
    this.objective = ntXent({ temperature: o.temperature });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.projector.trainableVariables());
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.projector.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const x = batch as tf.Tensor4D;
    const n = x.shape[0];
    const v1 = this.views(x, ctx.rng);
    const v2 = this.views(x, ctx.rng);
    // One forward pass over both views (batch-norm statistics over all 2N images, as SimCLR).
    const z = this.projector.apply(this.encoder.apply(tf.concat([v1, v2], 0), true), true);
    const [z1, z2] = tf.split(z, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
    return { loss: this.objective.compute({ z1, z2 }) };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.projector.dispose();
  }
}
