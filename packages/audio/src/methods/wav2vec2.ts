/**
 * wav2vec 2.0 (Baevski, Zhou, Mohamed & Auli 2020, "wav2vec 2.0: A Framework for
 * Self-Supervised Learning of Speech Representations"): conv feature encoder to latents z;
 * spans of z masked (span-mask.ts) and replaced by a learned embedding before a transformer
 * context network; targets are the Gumbel product quantization of the unmasked z; the loss is
 *
 *   L = L_m + alpha L_d,   L_m = -log exp(sim(c_t, q_t)/kappa) / sum_{q~Q_t} exp(sim(c_t, q)/kappa)
 *
 * over masked frames t, with Q_t = q_t plus K distractors from other masked frames of the same
 * clip (eq. 3), and L_d the codebook diversity loss (eq. 4). Published BASE: 512-channel
 * encoder, 12 blocks of 768, G = 2, V = 320, K = 100, kappa = 0.1, alpha = 0.1, p = 0.065,
 * M = 10, Gumbel tau annealed from 2 to 0.5. Here the widths, depth, V and K are scaled down
 * for CPU; proportions (p, M, kappa, alpha, tau range) are the published ones. Differences:
 * sinusoidal positions instead of the convolutional relative positional embedding, no
 * feature-penalty term, and tau annealed linearly over the planned steps. As in fairseq's
 * implementation, the quantizer reads the latents layer-normalised (`quantizerNorm`, chosen on
 * validation: raw z grew into one shared direction and the probes suffered).
 */
import {
  ConfigError,
  disposeParams,
  infoNCEFromLogits,
  initLayerNorm,
  initLinear,
  layerNorm,
  type LossOutput,
  linear,
  type Method,
  mergeVariables,
  type ParamMap,
  type Rng,
  type StepContext,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { AudioEncoder } from '../encoders/audio-encoder.js';
import { codebookDiversity } from '../objectives/codebook-diversity.js';
import { contrastiveAccuracy } from '../objectives/future-logits.js';
import { maskedLogits, sampleMaskedDistractors } from '../objectives/masked-logits.js';
import { GumbelProductQuantizer } from '../quantizer/gumbel-product-quantizer.js';
import { audioMethod } from './audio-method.js';
import {
  MASKED_CROP_OPTIONS,
  maskedEncoderConfig,
  maskedEncoderOptions,
  maskedLatents,
  maskedTrainingCrop,
  spanMaskOptions,
} from './masked-encoder.js';

/** wav2vec 2.0's options: type, bounds, meaning and default of each (docs/methods/wav2vec2.md). */
export const WAV2VEC2_OPTIONS = {
  ...maskedEncoderOptions('Attention heads (12 BASE).'),
  groups: { type: 'integer', default: 2, min: 1, description: 'Codebooks G (2 published).' },
  entries: { type: 'integer', default: 32, min: 1, description: 'Entries per codebook V (320 published).' },
  codeDim: { type: 'integer', default: 64, min: 1, description: 'Quantized vector width (256 published).' },
  finalDim: {
    type: 'integer',
    default: 32,
    min: 1,
    description: 'Width both c and q are projected to before the cosine (256 published).',
  },
  ...spanMaskOptions('Proportion of frames sampled as span starts p.'),
  negatives: { type: 'integer', default: 10, min: 1, description: 'Distractors K per masked frame (100 published).' },
  temperature: { type: 'number', default: 0.1, above: 0, description: 'Cosine temperature kappa.' },
  diversityWeight: { type: 'number', default: 0.1, min: 0, description: 'Weight alpha of the diversity loss.' },
  quantizerNorm: {
    type: 'boolean',
    default: true,
    description: "Layer-normalise the latents z before the quantizer reads them, as fairseq's wav2vec 2.0 does.",
  },
  gumbelTemperature: {
    type: 'array',
    items: 'number',
    length: 2,
    above: 0,
    default: [2, 0.5] as number[],
    description: 'Gumbel softmax temperature at the start and at the end of training.',
  },
  ...MASKED_CROP_OPTIONS,
} satisfies OptionTable;
/** Options of {@link Wav2vec2}. */
export type Wav2vec2Options = OptionsOf<typeof WAV2VEC2_OPTIONS>;

/** `--method wav2vec2`. */
export const WAV2VEC2_METHOD = audioMethod({
  name: 'wav2vec2',
  summary:
    'wav2vec 2.0: masked spans, transformer context, Gumbel product-quantized targets, contrastive + diversity loss (Baevski et al. 2020)',
  options: WAV2VEC2_OPTIONS,
  create: ({ sampleShape, options, rng }) => new Wav2vec2(sampleShape, options, rng),
});

/** wav2vec 2.0 pretraining: see the file header. */
export class Wav2vec2 implements Method<tf.Tensor> {
  readonly name = 'wav2vec2';
  readonly options: Wav2vec2Options;
  readonly encoder: AudioEncoder;
  readonly quantizer: GumbelProductQuantizer;
  private readonly heads: ParamMap = new Map();
  private readonly crop;

  constructor(sampleShape: number[], options: Record<string, unknown>, rng: Rng) {
    this.options = WAV2VEC2_METHOD.resolve(options);
    const o = this.options;
    const samples = sampleShape[0]!;
    this.encoder = new AudioEncoder(maskedEncoderConfig(samples, o), rng);
    this.crop = maskedTrainingCrop(samples, o, this.encoder.config);
    if (o.gumbelTemperature.length !== 2 || !(o.gumbelTemperature[0]! > 0 && o.gumbelTemperature[1]! > 0)) {
      throw new ConfigError('expected [start, end] > 0', { field: 'gumbelTemperature' });
    }
    this.quantizer = new GumbelProductQuantizer(
      { inputDim: o.width, groups: o.groups, entries: o.entries, codeDim: o.codeDim },
      rng,
    );
    // Ones and zeros: no draw from rng, so the other weights start as without it.
    if (o.quantizerNorm) initLayerNorm(this.heads, 'head/quantizer_ln', o.width, rng);
    initLinear(this.heads, 'head/final_proj', o.contextDim, o.finalDim, rng, 1 / Math.sqrt(o.contextDim));
    initLinear(this.heads, 'head/project_q', o.codeDim, o.finalDim, rng, 1 / Math.sqrt(o.codeDim));
  }

  /** Gumbel temperature at a step: linear from the first to the second value over the run. */
  gumbelTemperature(step: number, totalSteps: number): number {
    const [start, end] = this.options.gumbelTemperature as [number, number];
    const f = totalSteps > 1 ? Math.min(1, step / (totalSteps - 1)) : 1;
    return start + (end - start) * f;
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.quantizer.trainableVariables(), new Map(this.heads));
  }

  stateVariables(): Map<string, tf.Variable> {
    return this.trainableVariables();
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const o = this.options;
    return tf.tidy(() => {
      const { z, maskBits, mask } = maskedLatents(this.encoder, this.crop, batch, o, ctx.rng);
      const [b, t] = z.shape;
      const c = this.encoder.context(z, true, mask); // [b, t, contextDim]
      const tau = this.gumbelTemperature(ctx.step, ctx.totalSteps);
      const zq = o.quantizerNorm ? (layerNorm(this.heads, 'head/quantizer_ln', z) as tf.Tensor3D) : z;
      const { q, meanProbs } = this.quantizer.apply(zq, true, tau, ctx.rng);
      const cf = tf.reshape(linear(this.heads, 'head/final_proj', c), [b * t, o.finalDim]) as tf.Tensor2D;
      const qf = tf.reshape(linear(this.heads, 'head/project_q', q), [b * t, o.finalDim]) as tf.Tensor2D;
      const { queries, distractors } = sampleMaskedDistractors(maskBits, b, t, o.negatives, ctx.rng);
      const logits = maskedLogits(cf, qf, queries, distractors, o.temperature);
      const contrastive = infoNCEFromLogits(logits, 0);
      const diversity = codebookDiversity(meanProbs);
      const loss = tf.add(contrastive, tf.mul(diversity, o.diversityWeight)) as tf.Scalar;
      // Perplexity of the average code distribution, summed over groups (G V at best).
      const perplexity = tf.sum(
        tf.exp(tf.neg(tf.sum(tf.mul(meanProbs, tf.log(tf.maximum(meanProbs, 1e-9))), 1))),
      ) as tf.Scalar;
      return {
        loss,
        metrics: { contrastive, diversity, accuracy: contrastiveAccuracy(logits), codePerplexity: perplexity },
      };
    });
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.quantizer.dispose();
    disposeParams(this.heads);
  }
}
