/**
 * wav2vec 2.0's context network (Baevski et al. 2020, sec. 2 and 4.2): layer norm of the latent
 * frames, a linear projection to the model width, masked frames replaced by one learned
 * embedding, then a bidirectional transformer. Built from core's `nn` blocks; positions are
 * sinusoidal instead of the paper's convolutional relative embedding (noted in the docs page).
 */
import {
  ConfigError,
  createParam,
  getParam,
  initLayerNorm,
  initLinear,
  initTransformer,
  layerNorm,
  linear,
  ParamOwner,
  type Rng,
  type TransformerConfig,
  transformer,
  transformerBlockOutputs,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Architecture of the transformer context network. */
export interface TransformerContextConfig {
  /** Width of the latent frames it reads. */
  inputDim: number;
  /** Model width. */
  dim: number;
  /** Transformer blocks. */
  layers: number;
  /** Attention heads (divide `dim`). */
  heads: number;
  /** Longest sequence in frames. Default 1024 (about 10 s at 100 frames per second). */
  maxFrames: number;
}

/** Latent frames (optionally masked) -> contextual frames. Variables `<prefix>ctx_*`. */
export class TransformerContext extends ParamOwner {
  private readonly tconfig: TransformerConfig;

  constructor(
    readonly config: TransformerContextConfig,
    rng: Rng,
    private readonly prefix = 'encoder/',
  ) {
    super();
    for (const f of ['inputDim', 'dim', 'layers', 'heads', 'maxFrames'] as const) {
      if (!Number.isInteger(config[f]) || config[f] < 1) {
        throw new ConfigError(`expected a positive integer, got ${config[f]}`, { field: f });
      }
    }
    this.tconfig = {
      layers: config.layers,
      dim: config.dim,
      heads: config.heads,
      contextLength: config.maxFrames,
      positions: 'sinusoidal',
    };
    initLayerNorm(this.params, `${prefix}ctx_in_ln`, config.inputDim, rng);
    initLinear(this.params, `${prefix}ctx_proj`, config.inputDim, config.dim, rng);
    // wav2vec 2.0 draws the mask embedding uniformly; a small normal keeps it near the data scale.
    createParam(this.params, `${prefix}ctx_mask_emb`, [config.dim], { kind: 'normal', std: 0.1 }, rng);
    initTransformer(this.params, `${prefix}ctx_tf/`, this.tconfig, rng);
  }

  /**
   * Context `[batch, frames, dim]` of latent frames `z` `[batch, frames, inputDim]`; where
   * `mask` `[batch, frames]` is 1 the projected frame is replaced by the mask embedding.
   */
  apply(z: tf.Tensor3D, _training: boolean, mask?: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => transformer(this.params, `${this.prefix}ctx_tf/`, this.embed(z, mask), this.tconfig));
  }

  /** As {@link apply}, with every block's output `[batch, frames, dim]` before the final norm (data2vec). */
  blockOutputs(z: tf.Tensor3D, mask?: tf.Tensor2D): { blocks: tf.Tensor3D[]; output: tf.Tensor3D } {
    return tf.tidy(() =>
      transformerBlockOutputs(this.params, `${this.prefix}ctx_tf/`, this.embed(z, mask), this.tconfig),
    );
  }

  /** Layer norm, projection, mask embedding where `mask` is 1: the transformer's input. */
  private embed(z: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor3D {
    const p = this.prefix;
    return tf.tidy(() => {
      let x = linear(this.params, `${p}ctx_proj`, layerNorm(this.params, `${p}ctx_in_ln`, z)) as tf.Tensor3D;
      if (mask) {
        const m = tf.expandDims(mask, 2);
        x = tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(m, getParam(this.params, `${p}ctx_mask_emb`))) as tf.Tensor3D;
      }
      return x;
    });
  }
}
