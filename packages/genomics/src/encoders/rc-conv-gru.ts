/**
 * The DNA encoder of the Self-GenomeNet family (Gündüz et al. 2023, Fig. 1): a 1-D conv
 * network f_θ turns one-hot DNA into one latent vector per patch of `patchLength` bases, and a
 * GRU context network C_φ reads the patch latents left to right. Methods use both stages
 * (`latents`, `context`); the embedding of a window for probes is
 *
 *   g(x) = [ mean_t f(x)_t ; C(f(x))_last ],   embed(x) = (g(x) + g(rc(x))) / 2
 *
 * which is reverse-complement invariant by construction (both strands of a double helix get
 * one embedding) when `rcInvariant` is on. The conv and GRU layers accept any window length
 * that is at least one patch, so a model pretrained on 1 kb windows embeds 150 bp ones.
 */
import {
  ConfigError,
  type Encoder,
  type EncoderConfig,
  mergeVariables,
  type Net,
  NetBuilder,
  nn,
  type Rng,
  seededHe,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { reverseComplementOneHot } from '../encode/reverse-complement.js';
import { GruContext } from './gru-context.js';

/** Options of `rc-conv-gru`. */
export interface RcConvGruConfig extends EncoderConfig {
  kind: 'rc-conv-gru';
  /** Channels of both conv layers (the patch latent width). Default 64. */
  width: number;
  /** Kernel of the first conv (bases). Default 9. */
  kernelSize: number;
  /** Bases per patch: the two max-pools reduce length by this (a square number, 4 x 4 = 16 by default). */
  patchLength: number;
  /** GRU units of the context network. Default 64. */
  hidden: number;
  /** Average the embedding over both strands. Default true. */
  rcInvariant: boolean;
}

/** Fills the defaults of an `rc-conv-gru` config for windows of `inputShape` `[length, 4]`. */
export function rcConvGruConfig(inputShape: number[], options: Partial<RcConvGruConfig> = {}): RcConvGruConfig {
  const width = options.width ?? 64;
  const kernelSize = options.kernelSize ?? 9;
  const patchLength = options.patchLength ?? 16;
  const hidden = options.hidden ?? 64;
  const rcInvariant = options.rcInvariant ?? true;
  if (inputShape.length !== 2 || inputShape[1] !== 4) {
    throw new ConfigError(`rc-conv-gru needs one-hot DNA [length, 4], got [${inputShape.join(', ')}]`, {
      field: 'inputShape',
    });
  }
  for (const [field, v] of Object.entries({ width, kernelSize, hidden, patchLength })) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`expected a positive integer, got ${v}`, { field });
  }
  const pool = Math.round(Math.sqrt(patchLength));
  if (pool * pool !== patchLength) {
    throw new ConfigError(`patchLength must be a square (two equal pools), got ${patchLength}`, {
      field: 'patchLength',
    });
  }
  if (inputShape[0]! < patchLength) {
    throw new ConfigError(`windows of ${inputShape[0]} bases are shorter than one patch (${patchLength})`, {
      field: 'patchLength',
    });
  }
  return {
    kind: 'rc-conv-gru',
    modality: 'genomics',
    inputShape,
    width,
    kernelSize,
    patchLength,
    hidden,
    rcInvariant,
    outputDim: width + hidden,
  };
}

/** The conv patch encoder f_θ and the GRU context network C_φ, with an RC-invariant embedding. */
export class RcConvGruEncoder implements Encoder<tf.Tensor> {
  /**
   * f_θ's first conv: `[batch, length, 4]` -> per-base features `[batch, length, width]`. With
   * {@link RcConvGruEncoder.poolNet} it is f_θ; two nets so that the per-base features and the
   * patch latents come from one pass.
   */
  readonly baseNet: Net;
  /** The rest of f_θ: pool, conv, pool, `[batch, length, width]` -> `[batch, length / patchLength, width]`. */
  readonly poolNet: Net;
  /** C_φ: latents `[batch, patches, width]` -> contexts `[batch, patches, hidden]`. */
  readonly contextModel: GruContext;

  constructor(
    readonly config: RcConvGruConfig,
    rng: Rng,
    readonly prefix = 'encoder/',
  ) {
    const pool = Math.round(Math.sqrt(config.patchLength));
    const conv = (kernelSize: number) =>
      nn.conv1d({
        filters: config.width,
        kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: seededHe(rng.seed()),
      });
    const base = new NetBuilder('patch_encoder_base', prefix, [null, 4]);
    this.baseNet = base.build(base.apply('conv1', conv(config.kernelSize), base.input()));
    const rest = new NetBuilder('patch_encoder_pool', prefix, this.baseNet.outputShape);
    let x = rest.apply('pool1', nn.maxPool1d(pool, pool), rest.input());
    x = rest.apply('conv2', conv(5), x);
    this.poolNet = rest.build(rest.apply('pool2', nn.maxPool1d(pool, pool), x));
    this.contextModel = new GruContext(config.width, config.hidden, rng);
  }

  /** Patch latents f(x), `[batch, patches, width]`. */
  latents(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => this.poolNet.apply(this.baseNet.apply(x, training), training) as tf.Tensor3D);
  }

  /**
   * Patch latents f(x) `[batch, patches, width]` together with the first conv's per-base
   * features `[batch, length, width]` they are pooled from (each base's 9-base neighbourhood by
   * default): for tasks that need base resolution, such as predicting a masked base.
   */
  baseAndPatchLatents(x: tf.Tensor3D, training: boolean): { bases: tf.Tensor3D; latents: tf.Tensor3D } {
    const bases = this.baseNet.apply(x, training) as tf.Tensor3D;
    const latents = this.poolNet.apply(bases, training) as tf.Tensor3D;
    return { bases, latents };
  }

  /** Contexts C(z) of patch latents, `[batch, patches, hidden]`: position t has read patches 0..t. */
  context(z: tf.Tensor3D, _training: boolean): tf.Tensor3D {
    return this.contextModel.apply(z);
  }

  /** One strand's summary g(x) = [mean latent ; last context], `[batch, outputDim]`. */
  strandEmbedding(x: tf.Tensor3D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const z = this.latents(x, training);
      const c = this.context(z, training);
      const p = c.shape[1];
      const last = tf.squeeze(tf.slice(c, [0, p - 1, 0], [-1, 1, -1]), [1]);
      return tf.concat([tf.mean(z, 1), last], 1) as tf.Tensor2D;
    });
  }

  /** Embedding `[batch, width + hidden]`; averaged over both strands when `rcInvariant`. */
  apply(batch: tf.Tensor, training: boolean): tf.Tensor2D {
    const x = batch as tf.Tensor3D;
    if (!this.config.rcInvariant) return this.strandEmbedding(x, training);
    return tf.tidy(() => {
      const n = x.shape[0];
      const both = this.strandEmbedding(tf.concat([x, reverseComplementOneHot(x)], 0), training);
      const [f, r] = tf.split(both, [n, n], 0);
      return tf.mul(tf.add(f!, r!), 0.5) as tf.Tensor2D;
    });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.baseNet.trainableVariables(),
      this.poolNet.trainableVariables(),
      this.contextModel.variables(`${this.prefix}gru/`),
    );
  }

  allVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.baseNet.allVariables(),
      this.poolNet.allVariables(),
      this.contextModel.variables(`${this.prefix}gru/`),
    );
  }

  dispose(): void {
    this.baseNet.dispose();
    this.poolNet.dispose();
    this.contextModel.dispose();
  }
}
