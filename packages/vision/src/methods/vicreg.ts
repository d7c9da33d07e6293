/**
 * VICReg (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance Regularization
 * for Self-Supervised Learning", ICLR): the two views' expansions are pulled together (MSE),
 * each dimension's std is held above 1 by a hinge (variance) and off-diagonal covariances are
 * pushed to 0 (covariance). The objective is core's `vicreg`; its three terms are logged.
 */
import {
  type LayersEncoder,
  type LossOutput,
  type Method,
  MlpHead,
  mergeVariables,
  type Rng,
  type StepContext,
  vicreg,
  vicregTerms,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import { resolveOptions } from './options.js';
import { splitViews, stackedViews } from './two-views.js';
import { buildEncoder, buildViews, IMAGE_METHOD_DEFAULTS } from './view-options.js';

/** VICReg's options and their defaults (docs/methods/vicreg.md). */
export const VICREG_DEFAULTS = {
  ...IMAGE_METHOD_DEFAULTS,
  /** Expander hidden width (the paper's expander is wide: 8192; 512 is CPU-sized). */
  hiddenDim: 512,
  /**
   * Expander output width. 512 rather than 128: at 200 steps x 64 on Fashion-MNIST, 512/512
   * beat 256/128 by 0.007 (linear) / 0.012 (kNN), for 10-20% more time per step.
   */
  projectionDim: 512,
  /** Weight of the invariance (MSE) term (the paper's 25). */
  simCoeff: 25,
  /** Weight of the variance hinge (the paper's 25). */
  stdCoeff: 25,
  /** Weight of the covariance term (the paper's 1). */
  covCoeff: 1,
};
/** Options of {@link VICReg}. */
export type VICRegMethodOptions = typeof VICREG_DEFAULTS;

/** VICReg: invariance + variance + covariance on the two views' expansions. */
export class VICReg implements Method<tf.Tensor> {
  readonly name = 'vicreg';
  readonly options: VICRegMethodOptions;
  readonly encoder: LayersEncoder;
  readonly expander: MlpHead;
  private readonly views: Augmentation;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<VICRegMethodOptions>, rng: Rng) {
    this.options = resolveOptions('vicreg', VICREG_DEFAULTS, options);
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    this.expander = new MlpHead('expander/', this.encoder.config.outputDim, o.hiddenDim, o.projectionDim, rng);
    this.views = buildViews(o);
    this.objective = vicreg({ simCoeff: o.simCoeff, stdCoeff: o.stdCoeff, covCoeff: o.covCoeff });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.expander.trainableVariables());
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.expander.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const z = this.expander.apply(this.encoder.apply(stackedViews(batch, this.views, ctx.rng), true), true); // [2N, D]
    const [z1, z2] = splitViews(z);
    const terms = vicregTerms(z1, z2);
    return { loss: this.objective.compute({ z1, z2 }), metrics: { ...terms } };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.expander.dispose();
  }
}
