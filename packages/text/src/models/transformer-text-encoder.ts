/**
 * Transformer text encoder: token embedding, positions, pre-LN blocks (core `nn`), final layer
 * norm. `hidden` gives per-token states (for the MLM/CLM heads); `apply` mean-pools them over
 * the real (non-padding) tokens into a sentence embedding `[batch, dim]` (as Sentence-BERT's
 * mean pooling, Reimers & Gurevych, 2019). `causal: true` makes it the GPT-style decoder.
 */
import {
  ConfigError,
  type Encoder,
  type EncoderConfig,
  initTokenEmbedding,
  initTransformer,
  type ParamMap,
  type PositionKind,
  type Rng,
  type TransformerConfig,
  tokenEmbedding,
  transformer,
  transformerBlockOutputs,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TokenizerJson } from '../tokenize/bpe-tokenizer.js';

/** Architecture of the text encoder (plain JSON, saved with the encoder). */
export interface TextTransformerOptions {
  vocabSize: number;
  /** Context length in tokens (size of the learned position table). Default 128. */
  contextLength?: number;
  /** Blocks. Default 2. */
  layers?: number;
  /** Width. Default 128. */
  dim?: number;
  /** Heads. Default 4. */
  heads?: number;
  /** MLP width. Default `4 * dim`. */
  mlpDim?: number;
  /** `learned` (default) or `sinusoidal`. */
  positions?: PositionKind;
  /** Causal attention (decoder, CLM). Default false (bidirectional, MLM). */
  causal?: boolean;
  /** Id of the padding token (never attended to, excluded from pooling). Default 0. */
  padId?: number;
  /** MLP activation. Default `gelu`. */
  activation?: 'gelu' | 'relu';
}

/** Encoder config of `kind: 'transformer'`, with the tokenizer that made its ids. */
export interface TextEncoderConfig extends EncoderConfig, Required<Omit<TextTransformerOptions, 'mlpDim'>> {
  kind: 'transformer';
  modality: 'text';
  mlpDim: number;
  /** The tokenizer (Hugging Face tokenizer.json form) so a saved encoder is self-contained. */
  tokenizer?: TokenizerJson;
}

/** Fills the defaults of {@link TextTransformerOptions}. */
export function textEncoderConfig(o: TextTransformerOptions, tokenizer?: TokenizerJson): TextEncoderConfig {
  const dim = o.dim ?? 128;
  const contextLength = o.contextLength ?? 128;
  if (!Number.isInteger(o.vocabSize) || o.vocabSize < 2)
    throw new ConfigError(`expected an integer >= 2, got ${o.vocabSize}`, { field: 'vocabSize' });
  return {
    kind: 'transformer',
    modality: 'text',
    outputDim: dim,
    inputShape: [contextLength],
    vocabSize: o.vocabSize,
    contextLength,
    layers: o.layers ?? 2,
    dim,
    heads: o.heads ?? 4,
    mlpDim: o.mlpDim ?? 4 * dim,
    positions: o.positions ?? 'learned',
    causal: o.causal ?? false,
    padId: o.padId ?? 0,
    activation: o.activation ?? 'gelu',
    ...(tokenizer ? { tokenizer } : {}),
  };
}

/** Token ids `[batch, seq]` (int32, padded with `padId`) -> embeddings. */
export class TransformerTextEncoder implements Encoder<tf.Tensor> {
  readonly params: ParamMap = new Map();
  readonly prefix = 'encoder/';
  readonly stack: TransformerConfig;

  constructor(
    readonly config: TextEncoderConfig,
    rng: Rng,
  ) {
    this.stack = {
      layers: config.layers,
      dim: config.dim,
      heads: config.heads,
      contextLength: config.contextLength,
      mlpDim: config.mlpDim,
      positions: config.positions,
      activation: config.activation,
    };
    initTokenEmbedding(this.params, `${this.prefix}tok`, config.vocabSize, config.dim, rng);
    initTransformer(this.params, this.prefix, this.stack, rng);
  }

  /** The token embedding table `[vocab, dim]` (tied to the output layer of the LM heads). */
  get tokenTable(): tf.Variable {
    return this.params.get(`${this.prefix}tok`)!;
  }

  /** 1 for real tokens, 0 for padding, `[batch, seq]` float32. */
  keyMask(ids: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => tf.cast(tf.notEqual(ids, this.config.padId), 'float32') as tf.Tensor2D);
  }

  /** Per-token hidden states `[batch, seq, dim]`. */
  hidden(ids: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const x = tokenEmbedding(this.params, `${this.prefix}tok`, ids as tf.Tensor2D);
      return transformer(this.params, this.prefix, x, this.stack, {
        causal: this.config.causal,
        paddingMask: this.keyMask(ids),
      });
    });
  }

  /** Every block's output `[batch, seq, dim]` (before the final norm) and the final states (data2vec). */
  blockOutputs(ids: tf.Tensor): { blocks: tf.Tensor3D[]; output: tf.Tensor3D } {
    return tf.tidy(() => {
      const x = tokenEmbedding(this.params, `${this.prefix}tok`, ids as tf.Tensor2D);
      return transformerBlockOutputs(this.params, this.prefix, x, this.stack, {
        causal: this.config.causal,
        paddingMask: this.keyMask(ids),
      });
    });
  }

  /** Mean of the hidden states over real tokens, `[batch, dim]`. */
  apply(ids: tf.Tensor, _training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.hidden(ids);
      const m = tf.expandDims(this.keyMask(ids), 2);
      const sum = tf.sum(tf.mul(h, m), 1);
      return tf.div(sum, tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
    });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  allVariables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
