/**
 * CRAR, Francois-Lavet, Bengio, Precup & Pineau (2019), "Combined Reinforcement Learning via
 * Abstract Representations", AAAI, section 3 (model-based part). An encoder maps pixel
 * observations to a low-dimensional abstract state; a transition model predicts the next
 * abstract state from the state and the action, a reward model the reward. Losses (eq. 1-6,
 * without the discount model and the Q-network):
 *
 *   L_T = || e(s) + T(e(s), a) - e(s') ||^2                transition (residual, as in the paper)
 *   L_R = ( R(e(s), a) - r )^2                              reward
 *   L_d = exp( -C_d * || e(s1) - e(s2) ||_2 )               dispersion of random pairs (C_d = 5)
 *   L_c = max( || e(s) - e(s') ||_2 - C_c, 0 )^2            consistency of consecutive states
 *
 * L = L_T + L_R + beta * L_d + L_c. Gradients flow into both e(s) and e(s'), as in the paper;
 * the dispersion term is what stops the trivial collapse of every state onto one point.
 *
 * A {@link Method} over transition batches: core's Trainer runs it (Adam), with checkpoints,
 * exact resume, the non-finite guard and progress; the random pairs of the dispersion term are
 * drawn from the run's generator, so they too resume exactly.
 */
import {
  ConfigError,
  ParamOwner,
  createParam,
  type Encoder,
  type LossOutput,
  type Method,
  Rng,
  type StepContext,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransitionBatch } from './transition-dataset.js';

/** Options of {@link Crar}. */
export interface CrarOptions {
  /** Abstract state dimension; default 2. */
  stateDim?: number;
  /** Hidden units of the encoder's two layers; default [64, 32]. */
  encoderHidden?: [number, number];
  /** Hidden units of the transition and reward models; default 32. */
  modelHidden?: number;
  /** Dispersion sharpness C_d; default 5. */
  dispersionScale?: number;
  /** Dispersion weight beta; default 1. */
  dispersionWeight?: number;
  /** Largest free distance between consecutive abstract states, C_c; default 0.5. */
  consistencyRadius?: number;
  /** Weight-initialisation seed; default 0. */
  seed?: number;
}

/** The four loss terms of one step (plain numbers). */
export interface CrarLosses {
  transition: number;
  reward: number;
  dispersion: number;
  consistency: number;
  total: number;
}

interface Dense {
  w: tf.Variable; // [in, out]
  b: tf.Variable; // [out]
}

const NUM_ACTIONS = 4;

/**
 * CRAR's encoder, transition model and reward model as a Trainer {@link Method}; the loss of a
 * batch is the total of {@link Crar.losses}, its four terms logged as metrics. Call
 * {@link Crar.dispose} when done.
 */
export class Crar extends ParamOwner implements Method<TransitionBatch> {
  readonly name = 'crar';
  /** Resolved options. */
  readonly options: Required<CrarOptions>;
  /** Pixels per observation. */
  readonly obsSize: number;
  /** The abstract-state encoder on a batch's observations: what the Trainer's diagnostics embed. */
  readonly encoder: Encoder<TransitionBatch>;
  private readonly encoderLayers: Dense[];
  private readonly transition: Dense[];
  private readonly reward: Dense[];

  /** @throws ConfigError for non-positive sizes or rates. */
  constructor(obsSize: number, opts: CrarOptions = {}) {
    super();
    this.options = {
      stateDim: opts.stateDim ?? 2,
      encoderHidden: opts.encoderHidden ?? [64, 32],
      modelHidden: opts.modelHidden ?? 32,
      dispersionScale: opts.dispersionScale ?? 5,
      dispersionWeight: opts.dispersionWeight ?? 1,
      consistencyRadius: opts.consistencyRadius ?? 0.5,
      seed: opts.seed ?? 0,
    };
    const o = this.options;
    for (const [field, value] of Object.entries({ obsSize, ...o, encoderHidden: Math.min(...o.encoderHidden) })) {
      if (field !== 'seed' && !(value > 0 && Number.isFinite(value))) {
        throw new ConfigError(`expected a finite number > 0, got ${value}`, { field: `crar.${field}` });
      }
    }
    this.obsSize = obsSize;
    const rng = new Rng(o.seed);
    const dense = (name: string, inputs: number, outputs: number): Dense => {
      const std = Math.sqrt(2 / (inputs + outputs)); // Glorot normal
      return {
        w: createParam(this.params, `${name}/kernel`, [inputs, outputs], { kind: 'normal', std }, rng),
        b: createParam(this.params, `${name}/bias`, [outputs], { kind: 'zeros' }, rng),
      };
    };
    const [h1, h2] = o.encoderHidden;
    const d = o.stateDim;
    this.encoderLayers = [dense('encoder/0', obsSize, h1), dense('encoder/1', h1, h2), dense('encoder/2', h2, d)];
    this.transition = [dense('transition/0', d + NUM_ACTIONS, o.modelHidden), dense('transition/1', o.modelHidden, d)];
    this.reward = [dense('reward/0', d + NUM_ACTIONS, o.modelHidden), dense('reward/1', o.modelHidden, 1)];
    const encoderVariables = () => new Map([...this.params].filter(([k]) => k.startsWith('encoder/')));
    this.encoder = {
      config: { kind: 'crar-encoder', modality: 'classics', outputDim: d, inputShape: [obsSize], hidden: [h1, h2] },
      apply: (batch) => this.encode(batch.obs),
      trainableVariables: encoderVariables,
      allVariables: encoderVariables,
      dispose: () => {}, // the method owns the layers
    };
  }

  private static mlp(layers: Dense[], x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    layers.forEach((l, i) => {
      h = tf.add(tf.matMul(h, l.w), l.b);
      if (i < layers.length - 1) h = tf.tanh(h);
    });
    return h;
  }

  /** Abstract states of observations `[batch, obsSize]` -> `[batch, stateDim]`. */
  encode(obs: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => Crar.mlp(this.encoderLayers, obs));
  }

  /** Predicted next abstract state `z + T(z, a)` for states `[batch, stateDim]` and actions `[batch]` (int32). */
  predictNext(z: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const za = tf.concat([z, tf.oneHot(actions, NUM_ACTIONS).toFloat()], 1) as tf.Tensor2D;
      return tf.add(z, Crar.mlp(this.transition, za)) as tf.Tensor2D;
    });
  }

  /** Predicted rewards `[batch]` for states `[batch, stateDim]` and actions `[batch]` (int32). */
  predictReward(z: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const za = tf.concat([z, tf.oneHot(actions, NUM_ACTIONS).toFloat()], 1) as tf.Tensor2D;
      return tf.reshape(Crar.mlp(this.reward, za), [-1]) as tf.Tensor1D;
    });
  }

  /** The four loss terms (scalars) of a batch; `perm` pairs each state with a random other one. */
  losses(
    obs: tf.Tensor2D,
    nextObs: tf.Tensor2D,
    actions: tf.Tensor1D,
    rewards: tf.Tensor1D,
    perm: tf.Tensor1D,
  ): Record<keyof CrarLosses, tf.Scalar> {
    return tf.tidy(() => {
      const o = this.options;
      const z = this.encode(obs);
      const zNext = this.encode(nextObs);
      const transition = tf.mean(tf.sum(tf.squaredDifference(this.predictNext(z, actions), zNext), 1)) as tf.Scalar;
      const reward = tf.mean(tf.squaredDifference(this.predictReward(z, actions), rewards)) as tf.Scalar;
      const pairDistance = tf.sqrt(tf.add(tf.sum(tf.squaredDifference(z, tf.gather(z, perm)), 1), 1e-8));
      const dispersion = tf.mean(tf.exp(tf.mul(-o.dispersionScale, pairDistance))) as tf.Scalar;
      const stepDistance = tf.sqrt(tf.add(tf.sum(tf.squaredDifference(z, zNext), 1), 1e-8));
      const consistency = tf.mean(tf.square(tf.relu(tf.sub(stepDistance, o.consistencyRadius)))) as tf.Scalar;
      const total = tf.addN([transition, reward, tf.mul(o.dispersionWeight, dispersion), consistency]) as tf.Scalar;
      return { transition, reward, dispersion, consistency, total };
    });
  }

  /**
   * The Trainer's loss of a batch: the total of the four terms, each also a metric. The
   * dispersion term pairs each state with another by a permutation drawn from `ctx.rng`.
   */
  computeLoss(batch: TransitionBatch, ctx: StepContext): LossOutput {
    // Freed with the Trainer's tape (the gather's gradient needs it).
    const perm = tf.tensor1d(ctx.rng.permutation(batch.obs.shape[0]), 'int32');
    const { total, ...terms } = this.losses(batch.obs, batch.nextObs, batch.actions, batch.rewards, perm);
    return { loss: total, metrics: terms };
  }

  /** Abstract states of a batch's observations, `[batch, stateDim]`. */
  embed(batch: TransitionBatch): tf.Tensor2D {
    return this.encode(batch.obs);
  }

  /** The weights (`encoder/0/kernel`, ..., `transition/1/bias`, `reward/1/bias`) are all the state. */
  stateVariables(): Map<string, tf.Variable> {
    return this.allVariables();
  }
}
