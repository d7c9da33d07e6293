/**
 * SimSiam (Chen & He 2021, "Exploring Simple Siamese Representation Learning", CVPR): one
 * network (encoder, projector) and a predictor MLP; the loss is the symmetric negative cosine
 * between the prediction of one view and the gradient-stopped projection of the other
 * (eq. 4). No negatives, no momentum encoder: the stop-gradient is what avoids collapse.
 */
import {
  type LossOutput,
  MlpHead,
  type Rng,
  type StepContext,
  simsiamLoss,
  type BatchSizeMinimum,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { splitViews, TWO_VIEW_DEFAULTS, TWO_VIEW_SCHEMA, TwoViewMethod } from './two-views.js';
import { headWidthsSchema } from './view-options.js';

/** SimSiam's options and their defaults (docs/methods/simsiam.md). */
export const SIMSIAM_DEFAULTS = {
  ...TWO_VIEW_DEFAULTS,
  hiddenDim: 256,
  projectionDim: 128,
  predictorHiddenDim: 32,
};

/** Type, bounds and meaning of each option of {@link SIMSIAM_DEFAULTS}. */
export const SIMSIAM_SCHEMA: OptionSchema<typeof SIMSIAM_DEFAULTS> = {
  ...TWO_VIEW_SCHEMA,
  ...headWidthsSchema('Projector hidden width.', "Projection width (the predictor's input and output)."),
  predictorHiddenDim: {
    type: 'integer',
    min: 1,
    description: 'Predictor bottleneck width (the paper uses a quarter of the projection width).',
  },
};
/** Options of {@link SimSiam}. */
export type SimSiamOptions = typeof SIMSIAM_DEFAULTS;

/** SimSiam: predictor + stop-gradient, no target network. */
export const SIMSIAM_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'its projector and predictor normalise over the images of the batch (batch norm)',
};

export class SimSiam extends TwoViewMethod<SimSiamOptions> {
  readonly name = 'simsiam';
  readonly minBatchSize = SIMSIAM_MIN_BATCH;
  readonly predictor: MlpHead;
  private readonly objective = simsiamLoss();

  constructor(sampleShape: number[], options: Partial<SimSiamOptions>, rng: Rng) {
    super(resolveOptions('simsiam', SIMSIAM_SCHEMA, SIMSIAM_DEFAULTS, options), sampleShape, rng);
    const o = this.options;
    this.predictor = this.addTrained(
      new MlpHead('predictor/', o.projectionDim, o.predictorHiddenDim, o.projectionDim, rng),
    );
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops predict; the global projections are the targets.
    const { z, p, locals } = this.predictCrops(batch, ctx.rng, (x) => this.predictor.apply(x, true)); // [2N, p], k x [N, p]
    const [z1, z2] = splitViews(z);
    const [p1, p2] = splitViews(p);
    // With p1 = p2 = pl and z1 = z2 = zg the objective is D(pl, sg(zg)): the local crop on the online side.
    const out = this.withLocalCrops({ loss: this.objective.compute({ p1, p2, z1, z2 }) }, locals, [z1, z2], (pl, zg) =>
      this.objective.compute({ p1: pl, p2: pl, z1: zg, z2: zg }),
    );
    return this.withKoleo(out);
  }
}
