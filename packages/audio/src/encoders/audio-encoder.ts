/**
 * The audio encoder of every method here: the conv feature encoder (waveform -> latent frames
 * `z`) followed by a context network (`z` -> context frames `c`): causal convs (wav2vec), a
 * GRU (CPC) or a transformer (wav2vec 2.0). Methods use the two stages separately; as an
 * `Encoder` for probes and the CLI it returns the time-average of `c`, `[batch, contextDim]`, or
 * with `pooling: 'latent+context'` the time-averages of `z` and `c` side by side,
 * `[batch, width + contextDim]` (wav2vec 2.0's default: its transformer output is trained to
 * predict masked codes and, as in the paper's probing of intermediate layers, is not the best
 * single representation; the conv latents carry the spectral content). With
 * `pooling: 'normed-latent+context'` each latent frame is standardised over its channels before
 * the average: a latent that drifts into one large offset shared by every clip (its scale is free
 * where only a layer norm reads it) then no longer swamps the cosine between clips.
 */
import { ConfigError, type Encoder, type EncoderConfig, mergeVariables, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { ContextNetwork } from './context-network.js';
import { ConvFeatureEncoder, featureFrames, WAV2VEC_CONV } from './conv-feature-encoder.js';
import { TransformerContext } from './transformer-context.js';

/** Each frame of `x` `[batch, frames, channels]` standardised over its channels (mean 0, variance 1). */
function standardiseFrames(x: tf.Tensor3D): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

/** Saved configuration of an {@link AudioEncoder} (plain JSON). */
export interface AudioEncoderConfig extends EncoderConfig {
  kind: 'wav2vec-conv';
  modality: 'audio';
  /** `[samples]` of one clip. */
  inputShape: number[];
  /** Feature-encoder channels. Default 64. */
  width: number;
  /** Feature-encoder kernels. Default [10, 8, 4, 4, 4]. */
  kernels: number[];
  /** Feature-encoder strides. Default [5, 4, 2, 2, 2]. */
  strides: number[];
  /** Context network: `conv` (wav2vec), `gru` (CPC) or `transformer` (wav2vec 2.0). */
  context: 'conv' | 'gru' | 'transformer';
  /** Context width (= `outputDim`). Default 64. */
  contextDim: number;
  /** Context layers (causal convs or transformer blocks). Default 3 (conv), 2 (transformer). */
  contextLayers: number;
  /** Causal conv kernel of the `conv` context. Default 3. */
  contextKernel: number;
  /** Attention heads of the `transformer` context. Default 4. */
  heads: number;
  /** What the pooled embedding holds: mean context (default) or mean latent and mean context. */
  pooling?: 'context' | 'latent+context' | 'normed-latent+context';
}

/** Fills the defaults of an audio encoder config for clips of `samples` samples. */
export function audioEncoderConfig(samples: number, options: Partial<AudioEncoderConfig> = {}): AudioEncoderConfig {
  const context = options.context ?? 'conv';
  const contextDim = options.contextDim ?? 64;
  const c: AudioEncoderConfig = {
    kind: 'wav2vec-conv',
    modality: 'audio',
    inputShape: [samples],
    width: options.width ?? 64,
    kernels: options.kernels ?? [...WAV2VEC_CONV.kernels],
    strides: options.strides ?? [...WAV2VEC_CONV.strides],
    context,
    contextDim,
    contextLayers: options.contextLayers ?? (context === 'transformer' ? 2 : 3),
    contextKernel: options.contextKernel ?? 3,
    heads: options.heads ?? 4,
    pooling: options.pooling ?? 'context',
    outputDim: contextDim,
  };
  if (c.pooling === 'latent+context' || c.pooling === 'normed-latent+context') c.outputDim = c.width + c.contextDim;
  if (!Number.isInteger(samples) || featureFrames(samples, c.kernels, c.strides) < 2) {
    throw new ConfigError(`clips of ${samples} samples give fewer than 2 latent frames`, { field: 'clipSamples' });
  }
  if (!['context', 'latent+context', 'normed-latent+context'].includes(c.pooling as string)) {
    throw new ConfigError(`unknown pooling '${c.pooling}'; known: context, latent+context, normed-latent+context`, {
      field: 'pooling',
    });
  }
  if (!['conv', 'gru', 'transformer'].includes(c.context)) {
    throw new ConfigError(`unknown context network '${c.context}'; known: conv, gru, transformer`, {
      field: 'context',
    });
  }
  return c;
}

/** Waveforms `[batch, samples]` -> latent frames, context frames, or pooled embeddings. */
export class AudioEncoder implements Encoder<tf.Tensor> {
  readonly features: ConvFeatureEncoder;
  readonly contextNet: ContextNetwork | TransformerContext;

  constructor(
    readonly config: AudioEncoderConfig,
    rng: Rng,
    prefix = 'encoder/',
  ) {
    this.features = new ConvFeatureEncoder(config, rng, prefix);
    this.contextNet =
      config.context === 'transformer'
        ? new TransformerContext(
            {
              inputDim: config.width,
              dim: config.contextDim,
              layers: config.contextLayers,
              heads: config.heads,
              maxFrames: 1024,
            },
            rng,
            prefix,
          )
        : new ContextNetwork(
            {
              kind: config.context,
              inputDim: config.width,
              dim: config.contextDim,
              layers: config.contextLayers,
              kernel: config.contextKernel,
            },
            rng,
            prefix,
          );
  }

  /** Latent frames `z` `[batch, frames, width]`. */
  encode(waves: tf.Tensor2D, training: boolean): tf.Tensor3D {
    return this.features.apply(waves, training);
  }

  /** Context frames `c` `[batch, frames, contextDim]`; `mask` `[batch, frames]` only for the transformer. */
  context(z: tf.Tensor3D, training: boolean, mask?: tf.Tensor2D): tf.Tensor3D {
    if (this.contextNet instanceof TransformerContext) return this.contextNet.apply(z, training, mask);
    return this.contextNet.apply(z, training);
  }

  /**
   * Every transformer block's output and the context frames of latent frames `z` (data2vec's
   * teacher targets); only for `context: 'transformer'`.
   * @throws ConfigError for the conv and GRU context networks.
   */
  contextBlocks(z: tf.Tensor3D, mask?: tf.Tensor2D): { blocks: tf.Tensor3D[]; output: tf.Tensor3D } {
    if (!(this.contextNet instanceof TransformerContext)) {
      throw new ConfigError(`per-block outputs need the transformer context, not '${this.config.context}'`, {
        field: 'context',
      });
    }
    return this.contextNet.blockOutputs(z, mask);
  }

  /** Time-averaged context `[batch, contextDim]` (or `[batch, width + contextDim]`, see `pooling`). */
  apply(batch: tf.Tensor, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const z = this.encode(batch as tf.Tensor2D, training);
      const c = tf.mean(this.context(z, training), 1) as tf.Tensor2D;
      if (this.config.pooling === 'context') return c;
      // normed: each frame standardised over its channels first (a layer norm without gain or
      // bias), so a large offset all frames share does not swamp the cosine between clips.
      const frames = this.config.pooling === 'normed-latent+context' ? standardiseFrames(z) : z;
      return tf.concat([tf.mean(frames, 1) as tf.Tensor2D, c], 1);
    });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.features.trainableVariables(), this.contextNet.trainableVariables());
  }

  allVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.features.allVariables(), this.contextNet.allVariables());
  }

  dispose(): void {
    this.features.dispose();
    this.contextNet.dispose();
  }
}
