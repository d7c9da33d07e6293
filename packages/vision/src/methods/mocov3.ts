/**
 * MoCo v3 (Chen, Xie & He 2021, "An Empirical Study of Training Self-Supervised Vision
 * Transformers", ICCV, Algorithm 1): a base encoder with projector and predictor gives the
 * queries, a momentum encoder (encoder and projector, an EMA of the base ones, no gradient)
 * gives the keys; the keys of the same batch are the negatives (no queue, unlike MoCo v1/v2).
 *
 *   L = ctr(q1, k2) + ctr(q2, k1),   ctr(q, k) = 2T * CE(q k^T / T, identity)
 *
 * (core's `mocov3Loss`). The momentum rises from `baseMomentum` (0.99) to 1 on a cosine
 * schedule, as in the paper. T = 0.2 (the paper's ViT setting; its ResNet setting is 1.0).
 */
import {
  type LossOutput,
  type MlpHead,
  mocov3Loss,
  type NetEncoder,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { MomentumTarget, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { baseMomentumOption, headWidths, visionMethod } from './view-options.js';

/** MoCo v3's options: type, bounds, meaning and default of each (docs/methods/mocov3.md). */
export const MOCOV3_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 64, 'Projector and predictor hidden width.', 'Query/key width.'),
  temperature: {
    type: 'number',
    default: 0.2,
    above: 0,
    description: "Temperature (the paper's 0.2 for ViT; 1.0 for ResNet).",
  },
  baseMomentum: baseMomentumOption(
    0.99,
    "Momentum of the key encoder at step 0 (the paper's 0.99, raised to 1 on a cosine schedule).",
  ),
} satisfies OptionTable;
/** Options of {@link MoCoV3}. */
export type MoCoV3Options = OptionsOf<typeof MOCOV3_OPTIONS>;

/** `--method mocov3`. */
export const MOCOV3_METHOD = visionMethod({
  name: 'mocov3',
  summary: 'MoCo v3: predictor, momentum key encoder, in-batch negatives (Chen, Xie & He 2021)',
  options: MOCOV3_OPTIONS,
  minBatchSize: { size: 2, reason: 'the negatives are the other keys of the batch; with one image the loss is 0' },
  create: ({ sampleShape, options, rng }) => new MoCoV3(sampleShape, options, rng),
});

/** MoCo v3: predictor on the query network, momentum key network, in-batch negatives. */
export class MoCoV3 extends TwoViewMethod<MoCoV3Options> {
  readonly predictor: MlpHead;
  /** The momentum encoder and projector (checkpointed under `momentum/`). */
  readonly momentum: MomentumTarget;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<MoCoV3Options>, rng: Rng) {
    super(MOCOV3_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.predictor = this.addPredictor(rng);
    this.momentum = this.addKept(new MomentumTarget(this, o, sampleShape, rng, 'momentum/'));
    this.objective = mocov3Loss({ temperature: o.temperature });
  }

  /** The momentum encoder. */
  get momentumEncoder(): NetEncoder {
    return this.momentum.encoder;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    // Local crops give queries only; keys come from the global views.
    const { global, p: q, locals: localQ } = this.predictCrops(batch, ctx.rng, (z) => this.predictor.apply(z, true));
    const k = this.momentum.project(global);
    // A local query stands in both directions against global view g's key.
    return this.bothDirectionsLoss(q, k, localQ, (q1, q2, k1, k2) => this.objective.compute({ q1, q2, k1, k2 }));
  }

  afterStep(ctx: StepContext): void {
    this.momentum.followSchedule(ctx);
  }
}
