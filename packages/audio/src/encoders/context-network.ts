/**
 * Context networks over latent frames `[batch, frames, dim]` -> `[batch, frames, contextDim]`,
 * causal so that `c_t` sees only `z_1..z_t` (the future is what the methods predict):
 * - `conv`: wav2vec 1.0's stack of causal 1-D convolutions (kernel 3) with layer norm and
 *   ReLU (Schneider et al. 2019: 9 layers of 512 channels; scaled down here),
 * - `gru`: CPC's autoregressive GRU (van den Oord et al. 2018: one GRU of 256 units).
 */
import {
  ConfigError,
  createParam,
  disposeParams,
  getParam,
  initLayerNorm,
  layerNorm,
  type Net,
  NetBuilder,
  nn,
  type ParamMap,
  type Rng,
  seededGlorot,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Architecture of a causal context network. */
export interface ContextConfig {
  /** `conv` (wav2vec) or `gru` (CPC). */
  kind: 'conv' | 'gru';
  /** Input width (the feature encoder's). */
  inputDim: number;
  /** Output width. */
  dim: number;
  /** Causal conv layers (kind `conv`). Default 3. */
  layers: number;
  /** Causal conv kernel (kind `conv`). Default 3. */
  kernel: number;
}

/** Latent frames -> causal context frames. Variables `<prefix>ctx_*`. */
export class ContextNetwork {
  /** The GRU (kind `gru`). */
  private readonly gru?: Net;
  /** Conv kernels, biases and layer norms (kind `conv`), written functionally: tfjs layers lack causal padding. */
  private readonly params: ParamMap = new Map();

  constructor(
    readonly config: ContextConfig,
    rng: Rng,
    private readonly prefix = 'encoder/',
  ) {
    if (config.kind !== 'conv' && config.kind !== 'gru') {
      throw new ConfigError(`unknown context network '${config.kind}'; known: conv, gru`, { field: 'context' });
    }
    for (const f of ['inputDim', 'dim', 'layers', 'kernel'] as const) {
      if (!Number.isInteger(config[f]) || config[f] < 1) {
        throw new ConfigError(`expected a positive integer, got ${config[f]}`, { field: f });
      }
    }
    if (config.kind === 'gru') {
      const net = new NetBuilder('context_gru', prefix, [null, config.inputDim]);
      const kernelInitializer = seededGlorot(rng.seed());
      const recurrentInitializer = tf.initializers.orthogonal({ seed: rng.seed() });
      const layer = nn.gru({ units: config.dim, returnSequences: true, kernelInitializer, recurrentInitializer });
      this.gru = net.build(net.apply('ctx_gru', layer, net.input()));
    } else {
      let inDim = config.inputDim;
      for (let i = 1; i <= config.layers; i++) {
        // He-normal for the ReLU that follows: std sqrt(2 / fan_in).
        const std = Math.sqrt(2 / (config.kernel * inDim));
        createParam(
          this.params,
          `${prefix}ctx_conv${i}/kernel`,
          [config.kernel, inDim, config.dim],
          { kind: 'normal', std },
          rng,
        );
        createParam(this.params, `${prefix}ctx_conv${i}/bias`, [config.dim], { kind: 'zeros' }, rng);
        initLayerNorm(this.params, `${prefix}ctx_ln${i}`, config.dim, rng);
        inDim = config.dim;
      }
    }
  }

  /** Context frames `[batch, frames, dim]` of latent frames `[batch, frames, inputDim]`. */
  apply(z: tf.Tensor3D, training: boolean): tf.Tensor3D {
    if (this.gru) return this.gru.apply(z, training) as tf.Tensor3D;
    const p = this.prefix;
    return tf.tidy(() => {
      let h = z;
      for (let i = 1; i <= this.config.layers; i++) {
        // Causal: pad kernel-1 frames on the left only, so frame t sees frames <= t.
        const padded = tf.pad(h, [
          [0, 0],
          [this.config.kernel - 1, 0],
          [0, 0],
        ]) as tf.Tensor3D;
        const y = tf.add(
          tf.conv1d(padded, getParam(this.params, `${p}ctx_conv${i}/kernel`) as tf.Tensor3D, 1, 'valid'),
          getParam(this.params, `${p}ctx_conv${i}/bias`),
        );
        h = tf.relu(layerNorm(this.params, `${p}ctx_ln${i}`, y)) as tf.Tensor3D;
      }
      return h;
    });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return this.gru ? this.gru.trainableVariables() : new Map(this.params);
  }

  allVariables(): Map<string, tf.Variable> {
    return this.gru ? this.gru.allVariables() : new Map(this.params);
  }

  dispose(): void {
    this.gru?.dispose();
    disposeParams(this.params);
  }
}
