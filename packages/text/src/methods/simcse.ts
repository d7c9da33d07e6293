/**
 * Unsupervised SimCSE (Gao, Yao & Chen 2021, "SimCSE: simple contrastive learning of sentence
 * embeddings", sec. 3, eq. 4): each text of a batch of N passes through the encoder twice with
 * independent dropout masks, giving h_i and h_i^+; with sim the cosine similarity and T the
 * temperature (0.05 in the paper),
 *
 *   l_i = -log( exp(sim(h_i, h_i^+) / T) / sum_{j=1..N} exp(sim(h_i, h_j^+) / T) ),
 *
 * averaged over i: one-directional InfoNCE with in-batch negatives, computed by core's
 * `infoNCE` on L2-normalised rows (so its dot products are cosines). The pooled state is the
 * mean over real tokens or the first token's state (CLS-like); during training an MLP (linear +
 * tanh, BERT's pooler) sits on it, and embeddings are taken without it (the paper's unsupervised
 * setting, sec. 3 and appendix A). The paper starts from pretrained BERT: {@link SimCse.initFrom}
 * copies a trained text encoder (e.g. an MLM run's) into this one.
 *
 * `positives: 'adjacent'` (the default, chosen on Brown's validation documents; `dropout` is the
 * paper's pair) takes harder positives from the same text, the simplest form of
 * DeCLUTR's (Giorgi et al. 2021, sec. 2) same-document spans: each sample holds 2L tokens, its
 * first half is the anchor and its second half (the neighbouring span) the positive, each
 * encoded with its own dropout masks. The encoder reads windows of L tokens, so an embedding is
 * still one L-token window; samples come from the ordinary window pipeline, at twice the length.
 */
import {
  ConfigError,
  infoNCE,
  initLinear,
  type LossOutput,
  l2NormalizeRows,
  linear,
  type Rng,
  type OptionsOf,
  type OptionTable,
  type StepContext,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import { TextEncoderAndHead } from './text-encoder-and-head.js';
import { buildLmEncoder, LM_OPTIONS, resolveLmOptions, textMethod } from './lm-options.js';
import { hiddenWithDropout } from './simcse-dropout-forward.js';

/** SimCSE's options: type, bounds, meaning and default of each (docs/methods/simcse.md). */
export const SIMCSE_OPTIONS = {
  ...LM_OPTIONS,
  temperature: { type: 'number', default: 0.05, above: 0, description: 'Temperature T of the cosine logits.' },
  dropout: {
    type: 'number',
    default: 0.1,
    min: 0,
    below: 1,
    description: 'Dropout rate of the two passes (the only augmentation).',
  },
  pooling: {
    type: 'enum',
    choices: ['mean', 'first'],
    default: 'mean' as 'mean' | 'first',
    description: '`mean` over real tokens or `first` token (CLS-like).',
  },
  mlp: {
    type: 'boolean',
    default: true,
    description: 'Train through an MLP (linear + tanh) on the pooled state; embeddings never use it.',
  },
  positives: {
    type: 'enum',
    choices: ['dropout', 'adjacent'],
    default: 'adjacent' as 'dropout' | 'adjacent',
    description:
      '`adjacent`: the neighbouring span of the same text (each sample holds two windows, the encoder reads one); `dropout`: the same window under a second dropout mask (the paper).',
  },
} satisfies OptionTable;
/** Options of {@link SimCse}. */
export type SimCseOptions = OptionsOf<typeof SIMCSE_OPTIONS>;

/** `--method simcse`. */
export const SIMCSE_METHOD = textMethod({
  name: 'simcse',
  summary:
    'SimCSE (unsupervised): a window and the neighbouring span of the same text (DeCLUTR-style; or the same window under a second dropout mask) are the positive pair, in-batch negatives, cosine / T InfoNCE (Gao, Yao & Chen 2021)',
  options: SIMCSE_OPTIONS,
  create: ({ sampleShape, options, rng }) => new SimCse(sampleShape, options, rng),
});

/** SimCSE over windows of token ids `[batch, seq]`. */
export class SimCse extends TextEncoderAndHead<SimCseOptions> {
  readonly name = 'simcse';

  constructor(sampleShape: number[], options: Partial<SimCseOptions>, rng: Rng) {
    // The schema checks every option (pooling's choices, dropout in [0, 1), temperature > 0).
    const o = resolveLmOptions(SIMCSE_METHOD, options);
    super(o, buildLmEncoder(o, SimCse.windowShape(sampleShape, o.positives), false, rng));
    if (o.mlp) {
      const d = this.encoder.config.dim;
      initLinear(this.head, 'mlp', d, d, rng);
    }
  }

  /**
   * The encoder's window `[L]` for samples of `sampleShape`: the sample itself with `dropout`
   * positives, its half with `adjacent` ones (a sample of an odd or a shorter length than 4
   * tokens is refused).
   */
  static windowShape(sampleShape: readonly number[], positives: 'dropout' | 'adjacent'): number[] {
    if (positives === 'dropout') return [...sampleShape];
    const n = sampleShape[0];
    if (sampleShape.length !== 1 || n === undefined || n < 4 || n % 2 !== 0)
      throw new ConfigError(
        `positives=adjacent splits each sample into an anchor and a positive window: expected an even sample length of at least 4 tokens, got [${sampleShape}]`,
        { field: 'positives' },
      );
    return [n / 2];
  }

  /**
   * The anchors and positives `[batch, L]` of a batch: with `dropout` the batch twice, with
   * `adjacent` the first and the second half of each sample (`[batch, 2L]`).
   */
  pairs(batch: tf.Tensor): [tf.Tensor, tf.Tensor] {
    if (this.options.positives === 'dropout') return [batch, batch];
    const L = this.encoder.config.contextLength;
    if (batch.rank !== 2 || batch.shape[1] !== 2 * L)
      throw new ConfigError(
        `positives=adjacent expects samples of ${2 * L} tokens (two windows of ${L}), got [${batch.shape.slice(1)}]`,
        { field: 'positives' },
      );
    return tf.split(batch, 2, 1) as [tf.Tensor, tf.Tensor];
  }

  /** Copies the encoder weights of a trained text encoder of the same shape (e.g. an MLM run's). */
  initFrom(source: TransformerTextEncoder): void {
    for (const [name, v] of this.encoder.params) {
      const s = source.params.get(name);
      if (!s || s.shape.join() !== v.shape.join())
        throw new ConfigError(`the source encoder has no ${name} of shape [${v.shape}]`, { field: 'init' });
      v.assign(s);
    }
  }

  /** Pooled states `[batch, dim]` of per-token states `h` (padding excluded from the mean). */
  pool(h: tf.Tensor3D, ids: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      if (this.options.pooling === 'first') return tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
      const m = tf.expandDims(this.encoder.keyMask(ids), 2);
      return tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
    });
  }

  /** Training-mode representations of `ids` (dropout on, MLP on): what the loss compares. */
  trainView(ids: tf.Tensor, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const z = this.pool(hiddenWithDropout(this.encoder, ids, this.options.dropout, seed), ids);
      if (!this.options.mlp) return z;
      return tf.tanh(linear(this.head, 'mlp', z)) as tf.Tensor2D;
    });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const n = batch.shape[0]!;
    const seed = ctx.rng.nextUint32();
    return tf.tidy(() => {
      // One pass over anchors and positives stacked: every row gets its own dropout masks.
      const [anchor, positive] = this.pairs(batch);
      const z = this.trainView(tf.concat([anchor, positive], 0), seed);
      const [z1, z2] = tf.split(z, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
      const q = l2NormalizeRows(z1);
      const p = l2NormalizeRows(z2);
      const loss = infoNCE({ temperature: this.options.temperature }).compute({ query: q, positive: p });
      const alignment = tf.mean(tf.sum(tf.mul(q, p), 1)) as tf.Scalar;
      return { loss, metrics: { positive_cos: alignment } };
    });
  }

  /**
   * Eval-mode embeddings (no dropout, no MLP) of windows `[batch, L]`, pooled as trained. With
   * `adjacent` positives a training sample `[batch, 2L]` (what the trainer's diagnostics embed)
   * is the mean of its two windows' embeddings.
   */
  override embed(batch: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const L = this.encoder.config.contextLength;
      if (this.options.positives === 'adjacent' && batch.rank === 2 && batch.shape[1] === 2 * L) {
        const [a, b] = this.pairs(batch);
        return tf.div(tf.add(this.embed(a), this.embed(b)), 2) as tf.Tensor2D;
      }
      return this.pool(this.encoder.hidden(batch), batch);
    });
  }
}
