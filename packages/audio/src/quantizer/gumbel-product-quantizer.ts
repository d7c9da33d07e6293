/**
 * Gumbel-softmax product quantizer of wav2vec 2.0 (Baevski, Zhou, Mohamed & Auli 2020, sec.
 * 2 and 3.1; Jang et al. 2017 for the Gumbel softmax): a linear map of each latent frame to
 * G x V logits; per group g, a one-hot choice of one of V codebook entries, picked by
 * argmax over logits + Gumbel noise in training (the straight-through estimator: the forward
 * pass uses the hard one-hot, the backward pass the gradient of softmax((l + g) / tau)),
 * plain argmax at inference; the chosen entries of the G groups are concatenated.
 * Published: G = 2, V = 320, 256-d codes; scaled down for CPU.
 */
import {
  ConfigError,
  createParam,
  disposeParams,
  getParam,
  type ParamMap,
  type Rng,
  stopGradient,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Architecture of the quantizer. */
export interface GumbelQuantizerConfig {
  /** Width of the latent frames it reads. */
  inputDim: number;
  /** Codebooks G. Default 2. */
  groups: number;
  /** Entries per codebook V. Default 32 (320 published). */
  entries: number;
  /** Width of a quantized vector (split evenly across groups). Default 64 (256 published). */
  codeDim: number;
}

/** What one quantizer pass returns. */
export interface QuantizerOutput {
  /** Quantized frames `[batch, frames, codeDim]`. */
  q: tf.Tensor3D;
  /** Softmax of the logits (no noise) averaged over every frame of the batch, `[groups, entries]`: the diversity loss reads it. */
  meanProbs: tf.Tensor2D;
}

/** Gumbel-softmax product quantizer with variables `<prefix>proj/{kernel,bias}` and `<prefix>codebook`. */
export class GumbelProductQuantizer {
  private readonly params: ParamMap = new Map();

  constructor(
    readonly config: GumbelQuantizerConfig,
    rng: Rng,
    private readonly prefix = 'quantizer/',
  ) {
    const { inputDim, groups, entries, codeDim } = config;
    for (const [f, v] of Object.entries(config)) {
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`expected a positive integer, got ${v}`, { field: f });
    }
    if (codeDim % groups !== 0) {
      throw new ConfigError(`${groups} groups do not divide codeDim ${codeDim}`, { field: 'groups' });
    }
    createParam(
      this.params,
      `${prefix}proj/kernel`,
      [inputDim, groups * entries],
      { kind: 'normal', std: 1 / Math.sqrt(inputDim) },
      rng,
    );
    createParam(this.params, `${prefix}proj/bias`, [groups * entries], { kind: 'zeros' }, rng);
    // fairseq initialises codebook entries uniformly in [0, 1); a unit normal serves the cosine targets as well.
    createParam(this.params, `${prefix}codebook`, [groups, entries, codeDim / groups], { kind: 'normal', std: 1 }, rng);
  }

  /**
   * Quantizes latent frames `[batch, frames, inputDim]`. `temperature` is the Gumbel softmax tau
   * (training only); `rng` draws the Gumbel noise.
   */
  apply(z: tf.Tensor3D, training: boolean, temperature: number, rng: Rng): QuantizerOutput {
    const { groups: g, entries: v, codeDim } = this.config;
    const [b, t, d] = z.shape;
    const seed = rng.seed();
    return tf.tidy(() => {
      const flat = tf.reshape(z, [b * t, d]);
      const logits = tf.reshape(
        tf.add(
          tf.matMul(flat, getParam(this.params, `${this.prefix}proj/kernel`)),
          getParam(this.params, `${this.prefix}proj/bias`),
        ),
        [b * t, g, v],
      );
      const meanProbs = tf.mean(tf.softmax(logits), 0) as tf.Tensor2D; // [g, v]
      let choice: tf.Tensor; // [b*t, g, v], one-hot in the forward pass
      if (training) {
        const u = tf.randomUniform(logits.shape, 1e-6, 1 - 1e-6, 'float32', seed);
        const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
        const soft = tf.softmax(tf.div(tf.add(logits, gumbel), temperature));
        const hard = tf.oneHot(tf.argMax(soft, -1), v).toFloat();
        choice = tf.add(soft, stopGradient(tf.sub(hard, soft))); // straight-through
      } else {
        choice = tf.oneHot(tf.argMax(logits, -1), v).toFloat();
      }
      // [g, b*t, v] x [g, v, codeDim/g] -> [g, b*t, codeDim/g] -> [b*t, g, codeDim/g]
      const perGroup = tf.matMul(tf.transpose(choice, [1, 0, 2]), getParam(this.params, `${this.prefix}codebook`));
      const q = tf.reshape(tf.transpose(perGroup, [1, 0, 2]), [b, t, codeDim]) as tf.Tensor3D;
      return { q, meanProbs };
    });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
