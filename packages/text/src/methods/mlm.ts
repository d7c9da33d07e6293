/**
 * Masked language modelling (Devlin et al., 2019, "BERT: pre-training of deep bidirectional
 * transformers for language understanding"): corrupt 15% of the tokens (80% `<mask>`, 10%
 * random, 10% unchanged) and predict the originals from both sides,
 * `L = -(1/|M|) sum_{i in M} log p(x_i | x_corrupted)`. The encoder is bidirectional; the
 * output layer is tied to the token embedding.
 */
import type { LossOutput, OptionsOf, OptionTable, Rng, StepContext } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { gatherPositions, initLmBias, lmLogits, tokenNll } from '../models/lm-head.js';
import { bertMask } from './bert-masking.js';
import { TextEncoderAndHead } from './text-encoder-and-head.js';
import { buildLmEncoder, LM_OPTIONS, lmBertMaskOptions, resolveLmOptions, textMethod } from './lm-options.js';

/** MLM's options: type, bounds, meaning and default of each (docs/methods/mlm.md). */
export const MLM_OPTIONS = {
  ...LM_OPTIONS,
  maskProb: { type: 'number', default: 0.15, min: 0, max: 1, description: 'Share of tokens chosen as targets.' },
} satisfies OptionTable;
/** Options of {@link MaskedLm}. */
export type MlmOptions = OptionsOf<typeof MLM_OPTIONS>;

/** `--method mlm`. */
export const MLM_METHOD = textMethod({
  name: 'mlm',
  summary: 'masked LM: predict 15% corrupted tokens (80% mask, 10% random, 10% kept) (Devlin et al. 2019)',
  options: MLM_OPTIONS,
  create: ({ sampleShape, options, rng }) => new MaskedLm(sampleShape, options, rng),
});

export class MaskedLm extends TextEncoderAndHead<MlmOptions> {
  readonly name = 'mlm';

  constructor(sampleShape: number[], options: Partial<MlmOptions>, rng: Rng) {
    const o = resolveLmOptions(MLM_METHOD, options);
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
