/**
 * BYOL (Grill et al. 2020, "Bootstrap Your Own Latent"): an online network (encoder,
 * projector, predictor) predicts the projection that a target network (encoder, projector)
 * gives the other view; the target gets no gradient (stop-gradient) and follows the online
 * weights as an exponential moving average whose momentum rises from `baseMomentum` to 1 on a
 * cosine schedule. Loss: 2 - 2 cos(p, z') symmetrised over the two views.
 */
import {
  byolLoss,
  cosineMomentum,
  emaUpdate,
  type LossOutput,
  type Method,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import type { LayersEncoder } from '@autodidact/core';
import { MlpHead, mergeVariables, prefixed } from '@autodidact/core';
import { resolveOptions } from './options.js';
import { buildEncoder, buildViews, IMAGE_METHOD_DEFAULTS } from './view-options.js';

export const BYOL_DEFAULTS = {
  ...IMAGE_METHOD_DEFAULTS,
  /** Projector and predictor hidden width. */
  hiddenDim: 256,
  /** Projection width. */
  projectionDim: 64,
  /** EMA momentum at step 0 (rises to 1 by the end of training). */
  baseMomentum: 0.99,
};
export type BYOLOptions = typeof BYOL_DEFAULTS;

export class BYOL implements Method<tf.Tensor> {
  readonly name = 'byol';
  readonly options: BYOLOptions;
  readonly encoder: LayersEncoder;
  readonly projector: MlpHead;
  readonly predictor: MlpHead;
  readonly targetEncoder: LayersEncoder;
  readonly targetProjector: MlpHead;
  private readonly views: Augmentation;
  private readonly objective = byolLoss();

  constructor(sampleShape: number[], options: Partial<BYOLOptions>, rng: Rng) {
    this.options = resolveOptions('byol', BYOL_DEFAULTS, options);
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    const dim = this.encoder.config.outputDim;
    this.projector = new MlpHead('projector/', dim, o.hiddenDim, o.projectionDim, rng);
    this.predictor = new MlpHead('predictor/', o.projectionDim, o.hiddenDim, o.projectionDim, rng);
    this.targetEncoder = buildEncoder(o, sampleShape, rng);
    this.targetProjector = new MlpHead('projector/', dim, o.hiddenDim, o.projectionDim, rng);
    this.views = buildViews(o);
    // The target starts as a copy of the online network.
    emaUpdate(this.targetOnlinePairs().target, this.targetOnlinePairs().online, 0);
  }

  /** Online and target parameters under the same names, for the EMA. */
  private targetOnlinePairs() {
    return {
      online: mergeVariables(this.encoder.trainableVariables(), this.projector.trainableVariables()),
      target: mergeVariables(this.targetEncoder.trainableVariables(), this.targetProjector.trainableVariables()),
    };
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.trainableVariables(),
      this.projector.trainableVariables(),
      this.predictor.trainableVariables(),
    );
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.allVariables(),
      this.projector.allVariables(),
      this.predictor.allVariables(),
      prefixed('target/', mergeVariables(this.targetEncoder.allVariables(), this.targetProjector.allVariables())),
    );
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const x = batch as tf.Tensor4D;
    const n = x.shape[0];
    const both = tf.concat([this.views(x, ctx.rng), this.views(x, ctx.rng)], 0);
    const p = this.predictor.apply(this.projector.apply(this.encoder.apply(both, true), true), true);
    const t = this.targetProjector.apply(this.targetEncoder.apply(both, true), true);
    const [p1, p2] = tf.split(p, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
    const [t1, t2] = tf.split(t, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
    const loss = tf.add(
      this.objective.compute({ prediction: p1, target: t2 }),
      this.objective.compute({ prediction: p2, target: t1 }),
    ) as tf.Scalar;
    return { loss };
  }

  afterStep(ctx: StepContext): void {
    const m = cosineMomentum(ctx.step, ctx.totalSteps, this.options.baseMomentum);
    const { target, online } = this.targetOnlinePairs();
    emaUpdate(target, online, m);
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    for (const part of [this.encoder, this.projector, this.predictor, this.targetEncoder, this.targetProjector]) {
      part.dispose();
    }
  }
}
