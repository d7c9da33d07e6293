/**
 * Multi-head scaled dot-product self-attention (Vaswani et al., 2017, "Attention is all you
 * need", eq. 1 and section 3.2.2): `softmax(Q K^T / sqrt(d_head) + bias) V` per head, heads
 * concatenated and projected by `wo`. Input and output `[batch, seq, dim]`; modality-free.
 */
import * as tf from '@tensorflow/tfjs';
import { assertShape, ConfigError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { causalBias, paddingBias } from './attention-mask.js';
import { initLinear, linear } from './linear.js';
import type { ParamMap } from './params.js';

/** Masks of one attention call. */
export interface AttentionOptions {
  /** Number of heads; must divide the width. */
  heads: number;
  /** Query i sees keys 0..i only (decoder). Default false. */
  causal?: boolean;
  /** `[batch, seq]`, 1 for real tokens, 0 for padding keys (never attended to). */
  paddingMask?: tf.Tensor2D;
}

/** Adds `<prefix>wq`, `wk`, `wv`, `wo` (each a linear `[dim, dim]` with bias). */
export function initMultiHeadAttention(params: ParamMap, prefix: string, dim: number, heads: number, rng: Rng): void {
  if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0) {
    throw new ConfigError(`${heads} heads do not divide width ${dim}`, { field: 'heads' });
  }
  for (const p of ['wq', 'wk', 'wv', 'wo']) initLinear(params, `${prefix}${p}`, dim, dim, rng);
}

/** Self-attention of `x` `[batch, seq, dim]` -> `[batch, seq, dim]`. */
export function multiHeadAttention(
  params: ParamMap,
  prefix: string,
  x: tf.Tensor3D,
  options: AttentionOptions,
): tf.Tensor3D {
  const [b, s, d] = x.shape;
  const h = options.heads;
  if (d % h !== 0) throw new ConfigError(`${h} heads do not divide width ${d}`, { field: 'heads' });
  const dh = d / h;
  if (options.paddingMask) {
    const pm = options.paddingMask.shape;
    assertShape(pm[0] === b && pm[1] === s, () => `paddingMask [${pm}] does not match input [${b}, ${s}]`);
  }
  return tf.tidy(() => {
    // [batch, seq, dim] -> [batch*heads, seq, dh]
    const split = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [b, s, h, dh]), [0, 2, 1, 3]), [b * h, s, dh]);
    const q = split(linear(params, `${prefix}wq`, x));
    const k = split(linear(params, `${prefix}wk`, x));
    const v = split(linear(params, `${prefix}wv`, x));
    let scores: tf.Tensor = tf.reshape(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), [b, h, s, s]);
    if (options.causal) scores = tf.add(scores, causalBias(s));
    if (options.paddingMask) scores = tf.add(scores, paddingBias(options.paddingMask));
    const weights = tf.reshape(tf.softmax(scores, -1), [b * h, s, s]);
    const ctx = tf.reshape(tf.transpose(tf.reshape(tf.matMul(weights, v), [b, h, s, dh]), [0, 2, 1, 3]), [b, s, d]);
    return linear(params, `${prefix}wo`, ctx) as tf.Tensor3D;
  });
}
