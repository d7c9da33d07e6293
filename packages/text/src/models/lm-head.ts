/**
 * Output layer of the language models: logits `h E^T + b` with the token table `E` tied to the
 * input embedding (Press & Wolf, 2017), and the per-token cross-entropy of chosen positions.
 */
import { createParam, type ParamMap, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from './transformer-text-encoder.js';

/** Name of the output layer's bias, the one variable the layer adds to the encoder's. */
const LM_BIAS = 'lm_head/bias';

/** Logits `[n, vocab]` of hidden states `[n, dim]`. */
export function tiedLogits(hidden: tf.Tensor2D, table: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(hidden, table, false, true), bias) as tf.Tensor2D);
}

/** Creates the output layer's bias `lm_head/bias` `[vocabSize]`, zeros, in `head`. */
export function initLmBias(head: ParamMap, vocabSize: number, rng: Rng): void {
  createParam(head, LM_BIAS, [vocabSize], { kind: 'zeros' }, rng);
}

/** Logits `[n, vocab]` of hidden states `[n, dim]`: `encoder`'s token table tied, the bias from `head`. */
export function lmLogits(
  hidden: tf.Tensor2D,
  encoder: Pick<TransformerTextEncoder, 'tokenTable'>,
  head: ParamMap,
): tf.Tensor2D {
  return tiedLogits(hidden, encoder.tokenTable as tf.Tensor2D, head.get(LM_BIAS) as tf.Tensor1D);
}

/** Negative log-likelihood of `targets` `[n]` under `logits` `[n, vocab]`, per row `[n]`. */
export function tokenNll(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  // The targets' log-probabilities are gathered from the flat log-softmax rather than picked
  // by a one-hot [n, vocab] product (measured 2-3x faster on CPU; tfjs's logSumExp with its
  // gradient is slower still than logSoftmax).
  return tf.tidy(() => {
    const [n, v] = logits.shape;
    const flatIdx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), tf.cast(targets, 'int32'));
    return tf.neg(tf.gather(tf.reshape(tf.logSoftmax(logits, -1), [n * v]), flatIdx)) as tf.Tensor1D;
  });
}

/** Rows `positions` (flat indices into `[batch*seq]`) of hidden states `[batch, seq, dim]` -> `[n, dim]`. */
export function gatherPositions(hidden: tf.Tensor3D, positions: readonly number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, s, d] = hidden.shape;
    return tf.gather(tf.reshape(hidden, [b * s, d]), tf.tensor1d(positions as number[], 'int32')) as tf.Tensor2D;
  });
}
