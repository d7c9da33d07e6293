/**
 * Masked language modelling (Devlin et al., 2019, "BERT: pre-training of deep bidirectional
 * transformers for language understanding"): corrupt 15% of the tokens (80% `<mask>`, 10%
 * random, 10% unchanged) and predict the originals from both sides,
 * `L = -(1/|M|) sum_{i in M} log p(x_i | x_corrupted)`. The encoder is bidirectional; the
 * output layer is tied to the token embedding.
 */
import type { LossOutput, Rng, StepContext, OptionSchema } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { gatherPositions, initLmBias, lmLogits, tokenNll } from '../models/lm-head.js';
import { bertMask } from './bert-masking.js';
import { TextEncoderAndHead } from './text-encoder-and-head.js';
import { buildLmEncoder, LM_DEFAULTS, LM_SCHEMA, lmBertMaskOptions, resolveLmOptions } from './lm-options.js';

export const MLM_DEFAULTS = {
  ...LM_DEFAULTS,
  maskProb: 0.15,
};

/** Type, bounds and meaning of each option of {@link MLM_DEFAULTS}. */
export const MLM_SCHEMA: OptionSchema<typeof MLM_DEFAULTS> = {
  ...LM_SCHEMA,
  maskProb: { type: 'number', min: 0, max: 1, description: 'Share of tokens chosen as targets.' },
};
export type MlmOptions = typeof MLM_DEFAULTS;

export class MaskedLm extends TextEncoderAndHead<MlmOptions> {
  readonly name = 'mlm';

  constructor(sampleShape: number[], options: Partial<MlmOptions>, rng: Rng) {
    const o = resolveLmOptions('mlm', MLM_SCHEMA, MLM_DEFAULTS, options);
    super(o, buildLmEncoder(o, sampleShape, false, rng));
    initLmBias(this.head, o.vocabSize, rng);
  }

  /** NLL `[n]` of the masked targets of a batch of ids `[batch, seq]`, masks drawn from `rng`. */
  maskedNll(batch: tf.Tensor, rng: Rng): tf.Tensor1D {
    const ids = batch.dataSync();
    const { input, targets } = bertMask(ids, rng, lmBertMaskOptions(this.options));
    const positions: number[] = [];
    const tgt: number[] = [];
    targets.forEach((t, i) => {
      if (t >= 0) {
        positions.push(i);
        tgt.push(t);
      }
    });
    return tf.tidy(() => {
      const h = this.encoder.hidden(tf.tensor(input, batch.shape, 'int32'));
      const logits = lmLogits(gatherPositions(h, positions), this.encoder, this.head);
      return tokenNll(logits, tf.tensor1d(tgt, 'int32'));
    });
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    return { loss: tf.tidy(() => tf.mean(this.maskedNll(batch, ctx.rng)) as tf.Scalar) };
  }

  /** Per-token NLLs for perplexity (no gradient; the masks come from `rng`). */
  evalNll(batch: tf.Tensor, rng: Rng): Float32Array {
    const t = this.maskedNll(batch, rng);
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  }
}
