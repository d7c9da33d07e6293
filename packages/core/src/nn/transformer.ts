/**
 * A stack of pre-LN transformer blocks over `[batch, seq, dim]` inputs: positions added, then
 * `layers` blocks, then a final layer norm (GPT-2 layout). Tokens, patches or audio frames are
 * embedded by the caller, so the stack is modality-free. Encoder (bidirectional, padding mask)
 * and decoder (causal) differ only in the masks of {@link transformer}.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import type { Activation } from './activations.js';
import { initLayerNorm, layerNorm } from './layer-norm.js';
import type { AttentionOptions } from './multi-head-attention.js';
import type { ParamMap } from './params.js';
import { addPositions, initLearnedPositions, type PositionKind } from './positional-embedding.js';
import { initTransformerBlock, transformerBlock } from './transformer-block.js';

/** Plain-data configuration of a transformer stack. */
export interface TransformerConfig {
  /** Number of blocks. */
  layers: number;
  /** Model width. */
  dim: number;
  /** Attention heads (divide `dim`). */
  heads: number;
  /** Maximum sequence length (size of the learned position table). */
  contextLength: number;
  /** MLP hidden width. Default `4 * dim`. */
  mlpDim?: number;
  /** MLP activation. Default `gelu`. */
  activation?: Activation;
  /** Position encoding, default `learned`; `none` when the caller adds its own (wav2vec's conv). */
  positions?: PositionKind | 'none';
  /** Layer-norm epsilon. Default 1e-5. */
  eps?: number;
}

/** Throws a ConfigError naming the first invalid field. */
export function validateTransformerConfig(c: TransformerConfig): void {
  const positive = (v: number, field: string) => {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`expected a positive integer, got ${v}`, { field });
  };
  positive(c.layers, 'layers');
  positive(c.dim, 'dim');
  positive(c.heads, 'heads');
  positive(c.contextLength, 'contextLength');
  if (c.mlpDim !== undefined) positive(c.mlpDim, 'mlpDim');
  if (c.dim % c.heads !== 0) throw new ConfigError(`${c.heads} heads do not divide width ${c.dim}`, { field: 'heads' });
  if ((c.positions ?? 'learned') === 'sinusoidal' && c.dim % 2 !== 0) {
    throw new ConfigError(`sinusoidal positions need an even width, got ${c.dim}`, { field: 'dim' });
  }
}

/** Adds `<prefix>pos` (learned positions), `<prefix>layer<i>/...` per block and `<prefix>ln_f`. */
export function initTransformer(params: ParamMap, prefix: string, config: TransformerConfig, rng: Rng): void {
  validateTransformerConfig(config);
  if ((config.positions ?? 'learned') === 'learned')
    initLearnedPositions(params, `${prefix}pos`, config.contextLength, config.dim, rng);
  for (let i = 0; i < config.layers; i++) initTransformerBlock(params, `${prefix}layer${i}/`, config, rng);
  initLayerNorm(params, `${prefix}ln_f`, config.dim, rng);
}

/** Refuses a sequence longer than the stack's context length. */
function checkContext(x: tf.Tensor3D, config: TransformerConfig): void {
  if (x.shape[1] > config.contextLength) {
    throw new ConfigError(`sequence of ${x.shape[1]} exceeds the context length ${config.contextLength}`, {
      field: 'contextLength',
    });
  }
}

/** The stack's input: `x` with its positions added (none for `positions: 'none'`). */
function withPositions(params: ParamMap, prefix: string, x: tf.Tensor3D, config: TransformerConfig): tf.Tensor3D {
  const kind = config.positions ?? 'learned';
  return kind === 'none' ? x : addPositions(params, `${prefix}pos`, kind, x);
}

/** `x` `[batch, seq, dim]` -> hidden states `[batch, seq, dim]` (after the final layer norm). */
export function transformer(
  params: ParamMap,
  prefix: string,
  x: tf.Tensor3D,
  config: TransformerConfig,
  masks: Omit<AttentionOptions, 'heads'> = {},
): tf.Tensor3D {
  checkContext(x, config);
  return tf.tidy(() => {
    let h = withPositions(params, prefix, x, config);
    for (let i = 0; i < config.layers; i++) h = transformerBlock(params, `${prefix}layer${i}/`, h, config, masks);
    return layerNorm(params, `${prefix}ln_f`, h, config.eps ?? 1e-5) as tf.Tensor3D;
  });
}

/**
 * Every block's output of the stack, `layers` tensors `[batch, seq, dim]` (the residual stream
 * after each block, before the final layer norm), and the final hidden states as {@link transformer}
 * returns them. Same computation as {@link transformer}; data2vec's teacher averages these.
 */
export function transformerBlockOutputs(
  params: ParamMap,
  prefix: string,
  x: tf.Tensor3D,
  config: TransformerConfig,
  masks: Omit<AttentionOptions, 'heads'> = {},
): { blocks: tf.Tensor3D[]; output: tf.Tensor3D } {
  checkContext(x, config);
  return tf.tidy(() => {
    let h = withPositions(params, prefix, x, config);
    const blocks: tf.Tensor3D[] = [];
    for (let i = 0; i < config.layers; i++) {
      h = transformerBlock(params, `${prefix}layer${i}/`, h, config, masks);
      blocks.push(h);
    }
    return { blocks, output: layerNorm(params, `${prefix}ln_f`, h, config.eps ?? 1e-5) as tf.Tensor3D };
  });
}
