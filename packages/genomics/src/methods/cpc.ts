/**
 * Contrastive Predictive Coding on DNA (van den Oord, Li & Vinyals 2018, "Representation
 * Learning with Contrastive Predictive Coding", §2): the GRU context c_t of patches 0..t
 * predicts the latent z_{t+k} of a later patch through a per-offset linear map W_k (eq. 3),
 * scored against the latents of the other windows of the batch at the same position
 * (InfoNCE, eq. 4, core's infoNCEFromLogits):
 *
 *   L = mean_k mean_{t, i} -log softmax_j( (W_k c_{i,t}) · z_{j,t+k} )_i
 *
 * Offsets start at 2 by default: the conv patch encoder's receptive field reaches into the next
 * patch, so predicting z_{t+1} could copy shared bases. Inputs are reverse-complemented at
 * random (p 0.5) so both strands are seen.
 */
import {
  infoNCEFromLogits,
  type LossOutput,
  type Rng,
  type StepContext,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { composeDna, type DnaAugmentation } from '../augment/dna-augmentation.js';
import { pointMutation } from '../augment/point-mutation.js';
import { randomReverseComplement } from '../augment/random-reverse-complement.js';
import { DnaEncoderMethod } from './dna-method.js';
import { DNA_ENCODER_OPTIONS, genomicsMethod, MUTATION_RATE_OPTIONS, RC_PROBABILITY_OPTIONS } from './options.js';
import { PatchPredictors, patchCount, patchDistances } from './patch-predictors.js';

/** CPC's options: type, bounds, meaning and default of each (docs/methods/cpc-dna.md). */
export const CPC_OPTIONS = {
  ...DNA_ENCODER_OPTIONS,
  minOffset: { type: 'integer', default: 2, min: 1, description: 'Smallest prediction offset k, in patches.' },
  maxOffset: {
    type: 'integer',
    default: 6,
    min: 1,
    description: 'Largest prediction offset k, in patches (clipped to what the windows allow).',
  },
  ...RC_PROBABILITY_OPTIONS,
  ...MUTATION_RATE_OPTIONS,
} satisfies OptionTable;
/** Options of {@link CPC}. */
export type CPCOptions = OptionsOf<typeof CPC_OPTIONS>;

/** `--method cpc`. */
export const CPC_METHOD = genomicsMethod({
  name: 'cpc',
  summary: 'CPC: GRU context predicts later patch latents, InfoNCE (van den Oord et al. 2018)',
  options: CPC_OPTIONS,
  minBatchSize: {
    size: 2,
    reason:
      'each prediction is scored against the other windows of the batch at the same position; with one window the loss is 0',
  },
  create: ({ sampleShape, options, rng }) => new CPC(sampleShape, options, rng),
});

export class CPC extends DnaEncoderMethod<CPCOptions, PatchPredictors> {
  private readonly views: DnaAugmentation;

  constructor(sampleShape: number[], options: Partial<CPCOptions>, rng: Rng) {
    // W_k, one per offset k (`predictor/offset<k>/`).
    super(CPC_METHOD, options, sampleShape, rng, (o) => {
      const patches = patchCount(sampleShape, o.patchLength);
      const offsets = patchDistances(o.minOffset, Math.min(o.maxOffset, patches - 1), Math.max(1, patches - 1));
      return new PatchPredictors(offsets, 'predictor/offset', o.hidden, o.width, rng);
    });
    const o = this.options;
    const steps = [randomReverseComplement(o.rcProbability)];
    if (o.mutationRate > 0) steps.push(pointMutation(o.mutationRate));
    this.views = composeDna(...steps);
  }

  /** Offsets used, in patches. */
  get offsets(): number[] {
    return this.heads.distances;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const x = this.views(batch as tf.Tensor3D, ctx.rng);
    const z = this.encoder.latents(x, true); // [N, P, d]
    const c = this.encoder.context(z, true); // [N, P, h]
    const [n, p] = z.shape;
    const losses: tf.Scalar[] = [];
    const hits: tf.Tensor[] = [];
    this.offsets.forEach((k, i) => {
      const t = p - k;
      const pred = this.heads.maps[i]!.apply(tf.slice(c, [0, 0, 0], [-1, t, -1])); // [N, T, d]
      const target = tf.slice(z, [0, k, 0], [-1, t, -1]); // [N, T, d]
      const logits = tf.reshape(
        tf.matMul(tf.transpose(pred, [1, 0, 2]), tf.transpose(target, [1, 0, 2]), false, true),
        [t * n, n],
      ) as tf.Tensor2D; // row (t, i) scores every window j at t + k
      const labels = Array.from({ length: t * n }, (_, r) => r % n);
      losses.push(infoNCEFromLogits(logits, labels));
      hits.push(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32')));
    });
    return {
      loss: tf.mean(tf.stack(losses)) as tf.Scalar,
      metrics: { accuracy: tf.mean(tf.stack(hits)) as tf.Scalar },
    };
  }
}
