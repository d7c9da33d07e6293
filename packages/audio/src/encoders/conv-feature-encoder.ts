/**
 * The wav2vec feature encoder (Schneider et al. 2019, sec. 2; Baevski et al. 2020, sec. 2 and
 * appendix): strided 1-D convolutions from the raw waveform to latent frames `z`, each
 * followed by a ReLU; the first conv's output is normalised per channel over time (wav2vec
 * 2.0's group norm with one group per channel, on the first layer only, which also keeps the
 * CPU cost of normalisation low). The published stack has 512 channels and kernels
 * (10, 8, 4, 4, 4) with strides (5, 4, 2, 2, 2): one frame per 10 ms at 16 kHz with a 30 ms
 * receptive field; we keep the kernels and strides and scale the width down for CPU.
 * Written functionally over named variables (tfjs layers have no group norm).
 */
import { ConfigError, createParam, getParam, ParamOwner, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Architecture of the conv feature encoder. */
export interface ConvFeatureConfig {
  /** Channels of every conv. Default 64 (512 in the papers). */
  width: number;
  /** Kernel sizes. Default [10, 8, 4, 4, 4]. */
  kernels: number[];
  /** Strides, one per kernel. Default [5, 4, 2, 2, 2]. */
  strides: number[];
}

/** The published kernels and strides. */
export const WAV2VEC_CONV = { kernels: [10, 8, 4, 4, 4], strides: [5, 4, 2, 2, 2] } as const;

/** Checks a feature-encoder config, naming the bad field. */
export function checkConvFeatureConfig(c: ConvFeatureConfig): void {
  if (!Number.isInteger(c.width) || c.width < 1)
    throw new ConfigError(`expected a positive integer, got ${c.width}`, { field: 'width' });
  if (c.kernels.length === 0 || c.kernels.length !== c.strides.length) {
    throw new ConfigError(
      `kernels (${c.kernels.length}) and strides (${c.strides.length}) must be non-empty and pair up`,
      {
        field: 'strides',
      },
    );
  }
  for (const v of [...c.kernels, ...c.strides]) {
    if (!Number.isInteger(v) || v < 1)
      throw new ConfigError(`expected positive integers, got ${v}`, { field: 'kernels' });
  }
}

/** Frames the encoder produces from `samples` input samples (valid convolutions). */
export function featureFrames(samples: number, kernels: readonly number[], strides: readonly number[]): number {
  let n = samples;
  for (let i = 0; i < kernels.length; i++) n = n < kernels[i]! ? 0 : Math.floor((n - kernels[i]!) / strides[i]!) + 1;
  return n;
}

/** Waveform `[batch, samples]` -> latent frames `[batch, frames, width]`. Variables `<prefix>conv<i>/kernel`, `<prefix>norm1/{gamma,beta}`. */
export class ConvFeatureEncoder extends ParamOwner {
  constructor(
    readonly config: ConvFeatureConfig,
    rng: Rng,
    private readonly prefix = 'encoder/',
  ) {
    super();
    checkConvFeatureConfig(config);
    let inDim = 1;
    config.kernels.forEach((k, i) => {
      // He-normal for the ReLU: std sqrt(2 / fan_in).
      const std = Math.sqrt(2 / (k * inDim));
      createParam(this.params, `${prefix}conv${i + 1}/kernel`, [k, inDim, config.width], { kind: 'normal', std }, rng);
      inDim = config.width;
    });
    createParam(this.params, `${prefix}norm1/gamma`, [config.width], { kind: 'ones' }, rng);
    createParam(this.params, `${prefix}norm1/beta`, [config.width], { kind: 'zeros' }, rng);
  }

  /**
   * Latent frames of waveforms `[batch, samples]`; each clip is normalised to zero mean and unit
   * variance first (wav2vec 2.0's input normalisation), so gain does not change the features.
   */
  apply(waves: tf.Tensor2D, _training = false): tf.Tensor3D {
    const p = this.prefix;
    const { kernels, strides } = this.config;
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(waves, 1, true);
      let h = tf.expandDims(tf.div(tf.sub(waves, mean), tf.sqrt(tf.add(variance, 1e-5))), 2) as tf.Tensor3D;
      for (let i = 0; i < kernels.length; i++) {
        h = tf.conv1d(h, getParam(this.params, `${p}conv${i + 1}/kernel`) as tf.Tensor3D, strides[i]!, 'valid');
        if (i === 0) {
          const m = tf.moments(h, 1, true); // per clip and channel, over time
          h = tf.add(
            tf.mul(
              tf.mul(tf.sub(h, m.mean), tf.rsqrt(tf.add(m.variance, 1e-5))),
              getParam(this.params, `${p}norm1/gamma`),
            ),
            getParam(this.params, `${p}norm1/beta`),
          ) as tf.Tensor3D;
        }
        h = tf.relu(h);
      }
      return h;
    });
  }
}
