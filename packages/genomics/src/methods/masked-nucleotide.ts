/**
 * Masked-nucleotide modelling (BERT's masked language model, Devlin et al. 2019, on single
 * bases): a random `maskRate` of the positions of each window is set to N (all-zero one-hot),
 * and a linear head predicts the four-way base at every masked position from
 * [first-conv features at that base ; latent and GRU context of its patch]; the loss counts
 * masked positions only (objectives/masked-nucleotide-loss.ts). The per-base features matter:
 * patch latents are max-pooled over 16 bases and say nothing about where in the patch a base
 * sits, so a head on them alone could only learn base composition (it stayed at 31% accuracy).
 * Deviations from BERT: masked bases always become N (no 80/10/10 rule), and the context is the
 * encoder's conv window plus its left-to-right GRU, not a bidirectional transformer. */
import type { LossOutput, Rng, StepContext, OptionsOf, OptionTable } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { randomReverseComplement } from '../augment/random-reverse-complement.js';
import { maskedNucleotideLoss } from '../objectives/masked-nucleotide-loss.js';
import { DnaEncoderMethod } from './dna-method.js';
import { LinearMap } from './linear-map.js';
import { DNA_ENCODER_OPTIONS, genomicsMethod, RC_PROBABILITY_OPTIONS } from './options.js';

/** Masked-nucleotide modelling's options: type, bounds, meaning and default of each (docs/methods/masked-nucleotide.md). */
export const MASKED_NUCLEOTIDE_OPTIONS = {
  ...DNA_ENCODER_OPTIONS,
  maskRate: { type: 'number', default: 0.15, min: 0, max: 1, description: 'Fraction of positions masked.' },
  ...RC_PROBABILITY_OPTIONS,
} satisfies OptionTable;
/** Options of {@link MaskedNucleotide}. */
export type MaskedNucleotideOptions = OptionsOf<typeof MASKED_NUCLEOTIDE_OPTIONS>;

/** `--method mlm`. */
export const MASKED_NUCLEOTIDE_METHOD = genomicsMethod({
  name: 'mlm',
  summary: 'masked-nucleotide modelling: predict masked bases (BERT-style, Devlin et al. 2019)',
  options: MASKED_NUCLEOTIDE_OPTIONS,
  create: ({ sampleShape, options, rng }) => new MaskedNucleotide(sampleShape, options, rng),
});

export class MaskedNucleotide extends DnaEncoderMethod<MaskedNucleotideOptions, LinearMap> {
  private readonly objective = maskedNucleotideLoss();

  constructor(sampleShape: number[], options: Partial<MaskedNucleotideOptions>, rng: Rng) {
    // The four-way base logits from [per-base features ; patch latent ; patch context].
    super(
      MASKED_NUCLEOTIDE_METHOD,
      options,
      sampleShape,
      rng,
      (o) => new LinearMap('head/', 2 * o.width + o.hidden, 4, rng),
    );
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const x = randomReverseComplement(this.options.rcProbability)(batch as tf.Tensor3D, ctx.rng);
    const [n, len] = x.shape;
    const pl = this.options.patchLength;
    const covered = Math.floor(len / pl) * pl; // bases the patches cover
    const maskValues = new Float32Array(n * len);
    for (let i = 0; i < maskValues.length; i++) maskValues[i] = ctx.rng.bernoulli(this.options.maskRate) ? 1 : 0;
    const mask = tf.tensor2d(maskValues, [n, len]);
    const input = tf.mul(x, tf.sub(1, tf.expandDims(mask, 2))) as tf.Tensor3D;
    const { bases, latents: z } = this.encoder.baseAndPatchLatents(input, true); // [N, L, d], [N, P, d]
    const c = this.encoder.context(z, true); // [N, P, h]
    // Each base's own features beside its patch's latent and context (repeated over the patch).
    const patch = tf.concat([z, c], 2); // [N, P, d + h]
    const perBase = tf.reshape(tf.tile(tf.expandDims(patch, 2), [1, 1, pl, 1]), [n, covered, patch.shape[2]]);
    const features = tf.concat([tf.slice(bases, [0, 0, 0], [-1, covered, -1]), perBase], 2); // [N, covered, 2d + h]
    const logits = this.heads.apply(features) as tf.Tensor3D; // [N, covered, 4]
    const target = tf.slice(x, [0, 0, 0], [-1, covered, -1]) as tf.Tensor3D;
    const m = tf.slice(mask, [0, 0], [-1, covered]) as tf.Tensor2D;
    const loss = this.objective.compute({ logits, target, mask: m });
    const w = tf.mul(m, tf.sum(target, 2));
    const right = tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(target, 2)), 'float32');
    const accuracy = tf.div(tf.sum(tf.mul(right, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
    return { loss, metrics: { accuracy } };
  }
}
