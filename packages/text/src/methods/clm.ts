/**
 * Causal language modelling (Radford et al., 2018/2019, GPT): predict each token from the ones
 * before it through causally masked attention, `L = -(1/N) sum_t log p(x_{t+1} | x_{<=t})`
 * over real (non-padding) targets; output layer tied to the token embedding. `generate`
 * continues a prompt greedily or by sampling (temperature, top-k, top-p).
 */
import { type LossOutput, type OptionsOf, Rng, type StepContext } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { gatherPositions, initLmBias, lmLogits, tokenNll } from '../models/lm-head.js';
import { type SamplingOptions, sampleToken } from '../models/sample-token.js';
import { TextEncoderAndHead } from './text-encoder-and-head.js';
import { buildLmEncoder, LM_OPTIONS, resolveLmOptions, textMethod } from './lm-options.js';

/** CLM's options: the LM architecture and ids alone (docs/methods/clm.md). */
export const CLM_OPTIONS = { ...LM_OPTIONS };
/** Options of {@link CausalLm}. */
export type ClmOptions = OptionsOf<typeof CLM_OPTIONS>;

/** `--method clm`. */
export const CLM_METHOD = textMethod({
  name: 'clm',
  summary: 'causal LM: predict the next token through causal attention (Radford et al. 2018)',
  options: CLM_OPTIONS,
  create: ({ sampleShape, options, rng }) => new CausalLm(sampleShape, options, rng),
});

/** Options of {@link CausalLm.generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to add. Default 50. */
  maxNewTokens?: number;
  /** Stop after this id (default: the end-of-text id). */
  stopId?: number;
  /** Generator for sampling. Default `new Rng(0)`. */
  rng?: Rng;
}

export class CausalLm extends TextEncoderAndHead<ClmOptions> {
  readonly name = 'clm';

  constructor(sampleShape: number[], options: Partial<ClmOptions>, rng: Rng) {
    const o = resolveLmOptions(CLM_METHOD, options);
    super(o, buildLmEncoder(o, sampleShape, true, rng));
    initLmBias(this.head, o.vocabSize, rng);
  }

  /** Next-token logits at every position, `[batch, seq, vocab]`. */
  logits(ids: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, s] = ids.shape as [number, number];
      const h = tf.reshape(this.encoder.hidden(ids), [b * s, this.options.dim]) as tf.Tensor2D;
      const l = lmLogits(h, this.encoder, this.head);
      return tf.reshape(l, [b, s, this.options.vocabSize]) as tf.Tensor3D;
    });
  }

  /** NLL `[n]` of every real next token of a batch of ids `[batch, seq]`. */
  nextTokenNll(batch: tf.Tensor): tf.Tensor1D {
    const [b, s] = batch.shape as [number, number];
    const ids = batch.dataSync();
    const positions: number[] = [];
    const tgt: number[] = [];
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < s - 1; t++) {
        const next = ids[i * s + t + 1]!;
        if (next !== this.options.padId && ids[i * s + t] !== this.options.padId) {
          positions.push(i * s + t);
          tgt.push(next);
        }
      }
    }
    return tf.tidy(() => {
      const h = gatherPositions(this.encoder.hidden(batch), positions);
      const logits = lmLogits(h, this.encoder, this.head);
      return tokenNll(logits, tf.tensor1d(tgt, 'int32'));
    });
  }

  computeLoss(batch: tf.Tensor, _ctx: StepContext): LossOutput {
    return { loss: tf.tidy(() => tf.mean(this.nextTokenNll(batch)) as tf.Scalar) };
  }

  /** Per-token NLLs for perplexity (no gradient). */
  evalNll(batch: tf.Tensor, _rng?: Rng): Float32Array {
    const t = this.nextTokenNll(batch);
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  }

  /** Continues `prompt` (token ids); returns the new ids only. */
  generate(prompt: readonly number[], o: GenerateOptions = {}): number[] {
    const rng = o.rng ?? new Rng(0);
    const stop = o.stopId ?? this.options.eosId;
    const ctx = this.encoder.config.contextLength;
    const seq = [...prompt];
    const out: number[] = [];
    for (let i = 0; i < (o.maxNewTokens ?? 50); i++) {
      const window = seq.slice(-ctx);
      const last = tf.tidy(() => {
        const l = this.logits(tf.tensor2d([window], [1, window.length], 'int32'));
        return tf.reshape(tf.slice(l, [0, window.length - 1, 0], [1, 1, this.options.vocabSize]), [-1]);
      });
      const logits = last.dataSync();
      last.dispose();
      // Never emit padding or the mask token.
      logits[this.options.padId] = Number.NEGATIVE_INFINITY;
      if (this.options.maskId !== this.options.padId) logits[this.options.maskId] = Number.NEGATIVE_INFINITY;
      const next = sampleToken(logits, rng, o);
      out.push(next);
      seq.push(next);
      if (next === stop) break;
    }
    return out;
  }
}
