/**
 * CRAR: self-supervised state abstraction from pixels with a transition model, a reward model
 * and representation terms, on a small maze.
 *
 * Reference: V. Francois-Lavet, Y. Bengio, D. Precup and J. Pineau, "Combined Reinforcement
 * Learning via Abstract Representations", AAAI 2019 (arXiv:1809.04506), section 3:
 *   x = e(s)                                         abstract state, [batch, abstractDim]
 *   L_tau  = || x + tau(x, a) - e(s') ||^2           transition (residual form)
 *   L_rho  = ( r - rho(x, a) )^2                     reward
 *   L_d1   = exp( -C_d || e(s1) - e(s2) ||_2 )       dispersion of random pairs, C_d = 5
 *   L_d2   = max( || e(s) - e(s') ||_inf^2 - omega, 0 )   consecutive states stay close
 * minimised together (weights below). The discount model and the model-free Q head of the paper
 * are left out: the maze has no terminal discount to learn and the experiment here is the
 * representation, not control. Gradients flow through both e(s) and e(s'), as in the paper.
 *
 * The encoder is an MLP over the flattened grey image; tau and rho are MLPs over
 * `[x, one-hot(a)]`. Training data is random exploration ({@link GridWorld.explore}).
 */
import { ConfigError, initLinear, linear, type ParamMap, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { GridWorld, Transition } from './grid-world.js';

/** Options of {@link Crar}. All have defaults. */
export interface CrarOptions {
  /** Abstract state size (2 or 3 to plot). Default 2. */
  abstractDim?: number;
  /** Hidden units of the encoder's two layers. Default 64. */
  encoderHidden?: number;
  /** Hidden units of the transition and reward models. Default 32. */
  modelHidden?: number;
  /** Dispersion sharpness C_d. Default 5. */
  dispersionScale?: number;
  /** Squared distance allowed between consecutive abstract states (omega). Default 1. */
  consistencyRadius?: number;
  /** Weight of the dispersion term. Default 1. */
  dispersionWeight?: number;
  /** Weight of the consistency term. Default 1. */
  consistencyWeight?: number;
  /** Weight of the reward term. Default 1. */
  rewardWeight?: number;
  /** Adam learning rate. Default 0.002. */
  lr?: number;
  /** Transitions per batch. Default 64. */
  batchSize?: number;
  /** Seed of weights and batch sampling. Default 0. */
  seed?: number;
}

/** Resolved defaults of {@link CrarOptions}. */
export const CRAR_DEFAULTS: Required<CrarOptions> = {
  abstractDim: 2,
  encoderHidden: 64,
  modelHidden: 32,
  dispersionScale: 5,
  consistencyRadius: 1,
  dispersionWeight: 1,
  consistencyWeight: 1,
  rewardWeight: 1,
  lr: 0.002,
  batchSize: 64,
  seed: 0,
};

/** The loss terms of one step (means over the batch). */
export interface CrarLosses {
  total: number;
  transition: number;
  reward: number;
  dispersion: number;
  consistency: number;
}

/** CRAR's encoder, transition and reward models over one {@link GridWorld}, with their optimiser. */
export class Crar {
  /** Variables named `encoder/...`, `transition/...`, `reward/...`. */
  readonly params: ParamMap = new Map();
  /** Resolved options. */
  readonly options: Required<CrarOptions>;
  private readonly world: GridWorld;
  private readonly obs: tf.Tensor2D; // [cells, pixels]
  private readonly optimizer: tf.AdamOptimizer;
  private readonly rng: Rng;

  constructor(world: GridWorld, options: CrarOptions = {}) {
    const o = { ...CRAR_DEFAULTS, ...options };
    for (const k of ['abstractDim', 'encoderHidden', 'modelHidden', 'batchSize'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1)
        throw new ConfigError(`expected a positive integer, got ${o[k]}`, { field: k });
    }
    for (const k of [
      'dispersionScale',
      'consistencyRadius',
      'dispersionWeight',
      'consistencyWeight',
      'rewardWeight',
      'lr',
    ] as const) {
      if (!(o[k] >= 0) || !Number.isFinite(o[k]))
        throw new ConfigError(`expected a finite number >= 0, got ${o[k]}`, { field: k });
    }
    this.options = o;
    this.world = world;
    const rng = new Rng(o.seed);
    const he = (n: number) => Math.sqrt(2 / n);
    initLinear(this.params, 'encoder/dense0', world.pixels, o.encoderHidden, rng, he(world.pixels));
    initLinear(this.params, 'encoder/dense1', o.encoderHidden, o.encoderHidden, rng, he(o.encoderHidden));
    initLinear(this.params, 'encoder/out', o.encoderHidden, o.abstractDim, rng, 1 / Math.sqrt(o.encoderHidden));
    const inModel = o.abstractDim + 4;
    for (const m of ['transition', 'reward'] as const) {
      initLinear(this.params, `${m}/dense0`, inModel, o.modelHidden, rng, he(inModel));
      initLinear(this.params, `${m}/dense1`, o.modelHidden, o.modelHidden, rng, he(o.modelHidden));
      initLinear(this.params, `${m}/out`, o.modelHidden, m === 'reward' ? 1 : o.abstractDim, rng, 0.01);
    }
    this.obs = tf.keep(tf.tensor2d(world.observations, [world.cells.length, world.pixels]));
    this.optimizer = tf.train.adam(o.lr);
    this.rng = rng.fork();
  }

  /** Encoder: observations `[batch, pixels]` -> abstract states `[batch, abstractDim]`. */
  encode(obs: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = tf.tanh(linear(this.params, 'encoder/dense0', obs));
      h = tf.tanh(linear(this.params, 'encoder/dense1', h));
      return linear(this.params, 'encoder/out', h) as tf.Tensor2D;
    });
  }

  private model(name: 'transition' | 'reward', x: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const input = tf.concat([x, tf.oneHot(actions, 4).toFloat()], 1);
      let h = tf.tanh(linear(this.params, `${name}/dense0`, input));
      h = tf.tanh(linear(this.params, `${name}/dense1`, h));
      return linear(this.params, `${name}/out`, h) as tf.Tensor2D;
    });
  }

  /** Predicted next abstract state `x + tau(x, a)`: `[batch, abstractDim]`, actions `[batch]` int32. */
  predictNext(x: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => tf.add(x, this.model('transition', x, actions)) as tf.Tensor2D);
  }

  /** Predicted reward `rho(x, a)`: `[batch]`. */
  predictReward(x: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => tf.reshape(this.model('reward', x, actions), [-1]) as tf.Tensor1D);
  }

  /** The four loss terms on a batch of transitions (free-cell indices), as scalars. */
  losses(batch: Transition[], randomA: number[], randomB: number[]): Record<keyof CrarLosses, tf.Scalar> {
    return tf.tidy(() => {
      const o = this.options;
      const s = this.encode(
        tf.gather(
          this.obs,
          tf.tensor1d(
            batch.map((t) => t.state),
            'int32',
          ),
        ),
      );
      const next = this.encode(
        tf.gather(
          this.obs,
          tf.tensor1d(
            batch.map((t) => t.next),
            'int32',
          ),
        ),
      );
      const actions = tf.tensor1d(
        batch.map((t) => t.action),
        'int32',
      );
      const rewards = tf.tensor1d(batch.map((t) => t.reward));
      const transition = tf.mean(tf.sum(tf.square(tf.sub(this.predictNext(s, actions), next)), 1)) as tf.Scalar;
      const reward = tf.mean(tf.square(tf.sub(this.predictReward(s, actions), rewards))) as tf.Scalar;
      const a = this.encode(tf.gather(this.obs, tf.tensor1d(randomA, 'int32')));
      const b = this.encode(tf.gather(this.obs, tf.tensor1d(randomB, 'int32')));
      // sqrt with a small floor: the gradient of ||.|| is undefined at 0.
      const dist = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(a, b)), 1), 1e-8));
      const dispersion = tf.mean(tf.exp(tf.mul(-o.dispersionScale, dist))) as tf.Scalar;
      const step = tf.max(tf.square(tf.sub(s, next)), 1);
      const consistency = tf.mean(tf.relu(tf.sub(step, o.consistencyRadius))) as tf.Scalar;
      const total = tf.addN([
        transition,
        tf.mul(o.rewardWeight, reward),
        tf.mul(o.dispersionWeight, dispersion),
        tf.mul(o.consistencyWeight, consistency),
      ]) as tf.Scalar;
      return { total, transition, reward, dispersion, consistency };
    });
  }

  /** One Adam step on a batch drawn from `data`; returns the loss terms before the step. */
  trainStep(data: Transition[]): CrarLosses {
    const n = this.options.batchSize;
    const cells = this.world.cells.length;
    const batch = Array.from({ length: n }, () => data[this.rng.int(data.length)]!);
    const ra = Array.from({ length: n }, () => this.rng.int(cells));
    const rb = Array.from({ length: n }, () => this.rng.int(cells));
    let terms: Record<keyof CrarLosses, tf.Scalar> | undefined;
    tf.tidy(() => {
      this.optimizer.minimize(
        () => {
          terms = this.losses(batch, ra, rb);
          tf.keep(terms.transition);
          tf.keep(terms.reward);
          tf.keep(terms.dispersion);
          tf.keep(terms.consistency);
          return terms.total;
        },
        false,
        [...this.params.values()],
      );
    });
    const t = terms!;
    const out: CrarLosses = {
      total: 0,
      transition: t.transition.dataSync()[0]!,
      reward: t.reward.dataSync()[0]!,
      dispersion: t.dispersion.dataSync()[0]!,
      consistency: t.consistency.dataSync()[0]!,
    };
    out.total =
      out.transition +
      this.options.rewardWeight * out.reward +
      this.options.dispersionWeight * out.dispersion +
      this.options.consistencyWeight * out.consistency;
    tf.dispose([t.transition, t.reward, t.dispersion, t.consistency]);
    return out;
  }

  /** Runs `steps` steps; returns the loss terms of each. */
  fit(data: Transition[], steps: number, onStep?: (step: number, losses: CrarLosses) => void): CrarLosses[] {
    const history: CrarLosses[] = [];
    for (let i = 0; i < steps; i++) {
      const l = this.trainStep(data);
      history.push(l);
      onStep?.(i + 1, l);
    }
    return history;
  }

  /** Abstract state of every free cell, row-major `cells * abstractDim` values. */
  abstractStates(): Float32Array {
    const x = this.encode(this.obs);
    const v = x.dataSync() as Float32Array;
    x.dispose();
    return v;
  }

  /** Frees variables, optimiser state and the observation tensor. */
  dispose(): void {
    this.optimizer.dispose();
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.obs.dispose();
  }
}
