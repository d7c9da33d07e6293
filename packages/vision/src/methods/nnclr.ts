/**
 * NNCLR (Dwibedi, Aytar, Tompson, Sermanet & Zisserman 2021, "With a Little Help from My
 * Friends: Nearest-Neighbor Contrastive Learning of Visual Representations", ICCV, eq. 2-3):
 * SimCLR with the positive replaced by the nearest neighbour, in a support set of earlier
 * projections, of the anchor's projection. Encoder, projector and predictor as in the paper;
 *
 *   L = ( nnclr(NN(z1, Q), p2) + nnclr(NN(z2, Q), p1) ) / 2
 *
 * with core's `nnclrLoss` (InfoNCE over the batch's predictions, cosine similarities, T = 0.1)
 * and `nearestNeighbours` (no gradient through the support set). After each optimizer step the
 * l2-normalised view-1 projections of the batch replace the oldest rows of the support queue
 * ({@link SupportQueue}, checkpointed under `support/`).
 */
import {
  l2NormalizeRows,
  type LossOutput,
  type MlpHead,
  nearestNeighbours,
  nnclrLoss,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  stopGradient,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { queueSizeOption, SupportQueue } from './support-queue.js';
import { splitViews, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** NNCLR's options: type, bounds, meaning and default of each (docs/methods/nnclr.md). */
export const NNCLR_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 64, 'Projector and predictor hidden width.', "Projection width (the support set's rows)."),
  queueSize: queueSizeOption("Rows of the support set (the paper's 98,304 is for ImageNet; 32 batches of 128 here)."),
  temperature: {
    type: 'number',
    default: 0.1,
    above: 0,
    description: "Temperature of the contrastive loss (the paper's 0.1).",
  },
} satisfies OptionTable;
/** Options of {@link NNCLR}. */
export type NNCLROptions = OptionsOf<typeof NNCLR_OPTIONS>;

/** `--method nnclr`. */
export const NNCLR_METHOD = visionMethod({
  name: 'nnclr',
  summary: 'NNCLR: nearest neighbour from a support queue as the positive (Dwibedi et al. 2021)',
  options: NNCLR_OPTIONS,
  minBatchSize: {
    size: 2,
    reason:
      "each neighbour is told apart from the other images' predictions in its batch; with one image the loss is 0",
  },
  create: ({ sampleShape, options, rng }) => new NNCLR(sampleShape, options, rng),
});

/** NNCLR: nearest neighbour from a support queue as the positive, a predictor, symmetric loss. */
export class NNCLR extends TwoViewMethod<NNCLROptions> {
  readonly predictor: MlpHead;
  /** The support set of earlier view-1 projections (checkpointed under `support/`). */
  readonly support: SupportQueue;
  private readonly objective;
  /** l2-normalised view-1 projections of the last batch, pushed after the optimizer step. */
  private readonly lastProjections = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<NNCLROptions>, rng: Rng) {
    super(NNCLR_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.predictor = this.addPredictor(rng);
    this.support = this.addKept(new SupportQueue(o.queueSize, o.projectionDim, rng, 'support/'));
    this.objective = nnclrLoss({ temperature: o.temperature });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops predict the global views' neighbours.
    const { z, p, locals } = this.predictCrops(batch, ctx.rng, (x) => this.predictor.apply(x, true)); // [2N, d], k x [N, d]
    const [z1, z2] = splitViews(z);
    const [p1, p2] = splitViews(p);
    const queue = this.support.rows as tf.Tensor as tf.Tensor2D;
    const nn1 = nearestNeighbours(z1, queue);
    const nn2 = nearestNeighbours(z2, queue);
    this.lastProjections.set(stopGradient(l2NormalizeRows(z1)));
    // How often the neighbour is the view's own image would need indices; the mean cosine of a
    // projection to its neighbour says how close the support set sits.
    const metrics = tf.tidy(() => ({
      'nn/cosine': tf.mean(tf.sum(tf.mul(l2NormalizeRows(z1), nn1), 1)) as tf.Scalar,
    }));
    // Each view's prediction against the other view's neighbour; a local crop's against global view g's.
    return this.crossViewMeanLoss(
      [p1, p2],
      [nn1, nn2],
      locals,
      (predictions, neighbours) => this.objective.compute({ neighbours, predictions }),
      metrics,
    );
  }

  /** The last batch's view-1 projections replace the oldest rows of the support set. */
  afterStep(): void {
    this.lastProjections.take((z) => this.support.push(z));
  }
}
