/**
 * Pre-LN transformer block (Xiong et al., 2020, "On layer normalization in the transformer
 * architecture"; as GPT-2): `x + attn(ln1(x))`, then `+ mlp(ln2(x))` with
 * `mlp = fc2(act(fc1(.)))`. Input and output `[batch, seq, dim]`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { type Activation, activate } from './activations.js';
import { initLayerNorm, layerNorm } from './layer-norm.js';
import { initLinear, linear } from './linear.js';
import { type AttentionOptions, initMultiHeadAttention, multiHeadAttention } from './multi-head-attention.js';
import type { ParamMap } from './params.js';

/** Shape of one block. */
export interface TransformerBlockConfig {
  /** Model width. */
  dim: number;
  /** Attention heads (divide `dim`). */
  heads: number;
  /** Hidden width of the MLP. Default `4 * dim`. */
  mlpDim?: number;
  /** MLP activation. Default `gelu`. */
  activation?: Activation;
  /** Layer-norm epsilon. Default 1e-5. */
  eps?: number;
}

/** Adds `<prefix>ln1`, `<prefix>attn/{wq,wk,wv,wo}`, `<prefix>ln2`, `<prefix>mlp/{fc1,fc2}`. */
export function initTransformerBlock(params: ParamMap, prefix: string, config: TransformerBlockConfig, rng: Rng): void {
  const mlp = config.mlpDim ?? 4 * config.dim;
  initLayerNorm(params, `${prefix}ln1`, config.dim, rng);
  initMultiHeadAttention(params, `${prefix}attn/`, config.dim, config.heads, rng);
  initLayerNorm(params, `${prefix}ln2`, config.dim, rng);
  initLinear(params, `${prefix}mlp/fc1`, config.dim, mlp, rng);
  initLinear(params, `${prefix}mlp/fc2`, mlp, config.dim, rng);
}

/** One block over `x` `[batch, seq, dim]`; masks as in {@link multiHeadAttention}. */
export function transformerBlock(
  params: ParamMap,
  prefix: string,
  x: tf.Tensor3D,
  config: TransformerBlockConfig,
  masks: Omit<AttentionOptions, 'heads'> = {},
): tf.Tensor3D {
  const eps = config.eps ?? 1e-5;
  return tf.tidy(() => {
    const a = multiHeadAttention(params, `${prefix}attn/`, layerNorm(params, `${prefix}ln1`, x, eps) as tf.Tensor3D, {
      heads: config.heads,
      ...masks,
    });
    const x1 = tf.add(x, a);
    const hidden = activate(
      linear(params, `${prefix}mlp/fc1`, layerNorm(params, `${prefix}ln2`, x1, eps)),
      config.activation ?? 'gelu',
    );
    return tf.add(x1, linear(params, `${prefix}mlp/fc2`, hidden)) as tf.Tensor3D;
  });
}
