/**
 * SimSiam (Chen & He 2021, "Exploring Simple Siamese Representation Learning", CVPR): one
 * network (encoder, projector) and a predictor MLP; the loss is the symmetric negative cosine
 * between the prediction of one view and the gradient-stopped projection of the other
 * (eq. 4). No negatives, no momentum encoder: the stop-gradient is what avoids collapse.
 */
import {
  type LossOutput,
  type MlpHead,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  simsiamLoss,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { HEAD_BATCH_NORM, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** SimSiam's options: type, bounds, meaning and default of each (docs/methods/simsiam.md). */
export const SIMSIAM_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 128, 'Projector hidden width.', "Projection width (the predictor's input and output)."),
  predictorHiddenDim: {
    type: 'integer',
    default: 32,
    min: 1,
    description: 'Predictor bottleneck width (the paper uses a quarter of the projection width).',
  },
} satisfies OptionTable;
/** Options of {@link SimSiam}. */
export type SimSiamOptions = OptionsOf<typeof SIMSIAM_OPTIONS>;

/** `--method simsiam`. */
export const SIMSIAM_METHOD = visionMethod({
  name: 'simsiam',
  summary: 'SimSiam: predictor + stop-gradient, no target network (Chen & He 2021)',
  options: SIMSIAM_OPTIONS,
  minBatchSize: HEAD_BATCH_NORM,
  create: ({ sampleShape, options, rng }) => new SimSiam(sampleShape, options, rng),
});

/** SimSiam: predictor + stop-gradient, no target network. */
export class SimSiam extends TwoViewMethod<SimSiamOptions> {
  readonly predictor: MlpHead;
  private readonly objective = simsiamLoss();

  constructor(sampleShape: number[], options: Partial<SimSiamOptions>, rng: Rng) {
    super(SIMSIAM_METHOD, options, sampleShape, rng);
    this.predictor = this.addPredictor(rng, this.options.predictorHiddenDim);
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops predict; the global projections are the targets.
    const { z, p, locals } = this.predictCrops(batch, ctx.rng, (x) => this.predictor.apply(x, true)); // [2N, p], k x [N, p]
    // With p1 = p2 = pl and z1 = z2 = zg the objective is D(pl, sg(zg)): the local crop on the online side.
    return this.bothDirectionsLoss(p, z, locals, (p1, p2, z1, z2) => this.objective.compute({ p1, p2, z1, z2 }));
  }
}
