import type * as tf from '@tensorflow/tfjs';
import { momentumStep, type ParamUpdate, SlotOptimizer } from './optimizer.js';

/** Hyper-parameters of SGD. */
export interface SgdConfig {
  /** Momentum factor (0: plain SGD). Default 0.9. */
  momentum: number;
  /** Nesterov momentum. Default false. */
  nesterov: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
}

/**
 * Stochastic gradient descent with momentum, Nesterov option and L2 decay, as
 * `torch.optim.SGD` without dampening: g += wd p; buf = mu buf + g; p -= lr (nesterov ?
 * g + mu buf : buf). Slot: `momentum` (zero-initialised, so the first step sets buf = g).
 */
export class Sgd extends SlotOptimizer {
  readonly name = 'sgd';
  readonly config: Readonly<SgdConfig>;

  constructor(params: ReadonlyMap<string, tf.Variable>, config: Partial<SgdConfig> = {}) {
    super(params, ['momentum']);
    this.config = {
      momentum: config.momentum ?? 0.9,
      nesterov: config.nesterov ?? false,
      weightDecay: config.weightDecay ?? 0,
    };
  }

  protected update(
    _name: string,
    param: tf.Variable,
    grad: tf.Tensor,
    slots: ReadonlyMap<string, tf.Variable>,
    lr: number,
  ): ParamUpdate {
    const { momentum: mu, nesterov, weightDecay: wd } = this.config;
    const g = wd !== 0 ? grad.add(param.mul(wd)) : grad;
    if (mu === 0) return { param: param.sub(g.mul(lr)), slots: {} };
    const { buf, delta } = momentumStep(slots.get('momentum')!, g, mu, nesterov);
    return { param: param.sub(delta.mul(lr)), slots: { momentum: buf } };
  }
}
