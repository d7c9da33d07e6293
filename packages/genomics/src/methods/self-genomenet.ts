/**
 * Self-GenomeNet (Gündüz, Binder, To, Mreches, Bischl, McHardy, Münch, Rezaei 2023, "A
 * self-supervised deep learning method for data-efficient training in genomics",
 * Communications Biology 6:928). Each batch of windows is extended by the windows' reverse
 * complements; the conv patch encoder f_θ and the GRU context network C_φ read both strands;
 * the context of the first part of a sequence, through a per-gap linear predictor W_g, must
 * identify the context of the reverse complement of the rest of the same sequence among all
 * contexts of the batch (objectives/rc-context-nce.ts). One network thus learns from both
 * strands without a second view, and prediction targets of many lengths train short- and
 * long-range features at once. See docs/methods/self-genomenet.md for the deviations.
 */
import {
  adamWarmupCosineDefaults,
  type LossOutput,
  type Rng,
  type StepContext,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { pointMutation } from '../augment/point-mutation.js';
import { reverseComplementOneHot } from '../encode/reverse-complement.js';
import { rcContextAccuracy, rcContextNCE } from '../objectives/rc-context-nce.js';
import { DnaEncoderMethod } from './dna-method.js';
import { DNA_ENCODER_OPTIONS, genomicsMethod, MUTATION_RATE_OPTIONS } from './options.js';
import { PatchPredictors, patchCount, patchDistances } from './patch-predictors.js';

/** Self-GenomeNet's options: type, bounds, meaning and default of each (docs/methods/self-genomenet.md). */
export const SELF_GENOMENET_OPTIONS = {
  ...DNA_ENCODER_OPTIONS,
  minGap: {
    type: 'integer',
    default: 2,
    min: 0,
    description: "Smallest gap (patches skipped between a query and its target); the authors' code uses 2.",
  },
  /**
   * One past the largest gap (clipped to what the windows allow). The authors' code uses 20
   * (gaps 2..19); each gap costs one [P, 2N, 2N] score tensor, which on CPU was most of a
   * training step, so the default keeps four gaps (2..5) and buys more steps: every split point
   * is still used, so targets still come in many lengths.
   */
  maxGap: {
    type: 'integer',
    default: 6,
    min: 0,
    description: 'One past the largest gap (clipped to what the windows allow).',
  },
  mutationRate: {
    ...MUTATION_RATE_OPTIONS.mutationRate,
    description: 'Point-mutation rate applied to the input windows (0: off, as in the paper).',
  },
  /**
   * Temperature of the scores: above 0, predictions and target contexts are L2-normalised and
   * their cosine divided by it; 0 keeps the paper's raw dot products.
   */
  temperature: { type: 'number', default: 0, min: 0, description: 'Temperature of the scores.' },
} satisfies OptionTable;
/** Options of {@link SelfGenomeNet}. */
export type SelfGenomeNetOptions = OptionsOf<typeof SELF_GENOMENET_OPTIONS>;

/** x / |x| along the last axis (ε keeps all-zero rows finite). */
function l2Normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x, 'euclidean', -1, true), 1e-8));
}

/** `--method self-genomenet`. */
export const SELF_GENOMENET_METHOD = genomicsMethod({
  name: 'self-genomenet',
  summary: 'Self-GenomeNet: context predicts the reverse complement of the rest of the sequence (Gündüz et al. 2023)',
  options: SELF_GENOMENET_OPTIONS,
  /**
   * Adam at 6e-3: on the validation windows (3 seeds, 1000 steps) it beat 2e-3 by 7.4 points on
   * the 1 kb linear probe, past the margin rule; CPC's gain at 6e-3 (+3.9) stayed inside the
   * margin, so CPC and masked nucleotides keep 2e-3 (packages/genomics/README.md).
   */
  trainerDefaults: adamWarmupCosineDefaults(64, 6e-3),
  minBatchSize: {
    size: 2,
    reason:
      'each context must pick its own reverse complement out of the other sequences of the batch; with one sequence the loss is 0',
  },
  create: ({ sampleShape, options, rng }) => new SelfGenomeNet(sampleShape, options, rng),
});

export class SelfGenomeNet extends DnaEncoderMethod<SelfGenomeNetOptions, PatchPredictors> {
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<SelfGenomeNetOptions>, rng: Rng) {
    // W_g, one per gap g (`predictor/gap<g>/`).
    super(SELF_GENOMENET_METHOD, options, sampleShape, rng, (o) => {
      const patches = patchCount(sampleShape, o.patchLength);
      // maxGap is one past the largest gap.
      const gaps = patchDistances(o.minGap, Math.min(o.maxGap, patches - 1) - 1, Math.max(0, patches - 2));
      return new PatchPredictors(gaps, 'predictor/gap', o.hidden, o.hidden, rng);
    });
    this.objective = rcContextNCE({ gaps: this.gaps });
  }

  /** Gaps used, in patches. */
  get gaps(): number[] {
    return this.heads.distances;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    let x = batch as tf.Tensor3D;
    if (this.options.mutationRate > 0) x = pointMutation(this.options.mutationRate)(x, ctx.rng);
    const both = tf.concat([x, reverseComplementOneHot(x)], 0); // [2N, L, 4]
    const raw = this.encoder.context(this.encoder.latents(both, true), true); // [2N, P, h]
    const t = this.options.temperature;
    // Cosine / t through the dot-product objective: unit targets, predictions scaled by 1 / t.
    const context = t > 0 ? (l2Normalize(raw) as tf.Tensor3D) : raw;
    const predictions = this.heads.maps.map((p) => {
      const y = p.apply(raw);
      return t > 0 ? (tf.div(l2Normalize(y), t) as tf.Tensor3D) : y;
    });
    const loss = this.objective.compute({ context, predictions });
    const accuracy = rcContextAccuracy({ context, predictions }, this.gaps);
    return { loss, metrics: { accuracy } };
  }
}
