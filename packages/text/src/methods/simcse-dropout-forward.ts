/**
 * The text encoder's forward pass with dropout, for SimCSE's positive pairs (Gao, Yao & Chen
 * 2021, "SimCSE: simple contrastive learning of sentence embeddings", sec. 3: "the standard
 * dropout masks placed on fully-connected layers as well as attention probabilities" of BERT).
 * Same parameters and order as {@link TransformerTextEncoder.hidden} (token embedding,
 * positions, pre-LN blocks, final layer norm), with inverted dropout of rate `p` on the
 * embedding sum and on the output of every attention and MLP branch before its residual add
 * (BERT's hidden dropout; attention-probability dropout is not applied). With `p = 0` the
 * result equals `encoder.hidden(ids)`.
 */
import { activate, addPositions, layerNorm, linear, multiHeadAttention, tokenEmbedding } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from '../models/transformer-text-encoder.js';

/** Per-token states `[batch, seq, dim]` of `ids` with dropout rate `p`; `seed` draws the masks. */
export function hiddenWithDropout(enc: TransformerTextEncoder, ids: tf.Tensor, p: number, seed: number): tf.Tensor3D {
  const c = enc.config;
  const pre = enc.prefix;
  const P = enc.params;
  let k = 0;
  const drop = (x: tf.Tensor) => (p > 0 ? tf.dropout(x, p, undefined, seed + 7919 * k++) : x);
  return tf.tidy(() => {
    const paddingMask = enc.keyMask(ids);
    let h = tokenEmbedding(P, `${pre}tok`, ids as tf.Tensor2D);
    h = addPositions(P, `${pre}pos`, c.positions, h);
    h = drop(h) as tf.Tensor3D;
    for (let i = 0; i < c.layers; i++) {
      const b = `${pre}layer${i}/`;
      const a = multiHeadAttention(P, `${b}attn/`, layerNorm(P, `${b}ln1`, h) as tf.Tensor3D, {
        heads: c.heads,
        causal: c.causal,
        paddingMask,
      });
      const x1 = tf.add(h, drop(a));
      const m = linear(P, `${b}mlp/fc2`, activate(linear(P, `${b}mlp/fc1`, layerNorm(P, `${b}ln2`, x1)), c.activation));
      h = tf.add(x1, drop(m)) as tf.Tensor3D;
    }
    return layerNorm(P, `${pre}ln_f`, h) as tf.Tensor3D;
  });
}
