import * as tf from '@tensorflow/tfjs';
import { type ParamUpdate, SlotOptimizer } from './optimizer.js';

/**
 * Kernel name a backend may register for the whole update of one parameter in one pass
 * (@autodidact/backend-native does); otherwise the update is composed from tfjs ops.
 */
export const ADAM_UPDATE_KERNEL = 'AutodidactAdamUpdate';

/** Hyper-parameters of Adam / AdamW. */
export interface AdamConfig {
  /** Exponential decay rates of the first and second moments. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the bias-corrected root of the second moment. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient (Adam) or decoupled decay (AdamW). Default 0. */
  weightDecay: number;
}

/**
 * Adam (Kingma & Ba 2015) with optional L2 weight decay added to the gradient, as
 * `torch.optim.Adam`: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g², then
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Slots: `m`, `v`.
 */
export class Adam extends SlotOptimizer {
  readonly name: string = 'adam';
  readonly config: Readonly<AdamConfig>;
  /** Whether weight decay is decoupled from the gradient (AdamW). */
  protected readonly decoupled: boolean = false;

  constructor(params: ReadonlyMap<string, tf.Variable>, config: Partial<AdamConfig> = {}) {
    super(params, ['m', 'v']);
    this.config = {
      betas: config.betas ?? [0.9, 0.999],
      eps: config.eps ?? 1e-8,
      weightDecay: config.weightDecay ?? 0,
    };
  }

  protected update(
    _name: string,
    param: tf.Variable,
    grad: tf.Tensor,
    slots: ReadonlyMap<string, tf.Variable>,
    lr: number,
    t: number,
  ): ParamUpdate {
    const [b1, b2] = this.config.betas;
    const wd = this.config.weightDecay;
    if (param.dtype === 'float32' && tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend()) !== undefined) {
      const [p, m, v] = tf
        .engine()
        .runKernel(ADAM_UPDATE_KERNEL, { param, grad, m: slots.get('m')!, v: slots.get('v')! }, {
          lr,
          beta1: b1,
          beta2: b2,
          eps: this.config.eps,
          biasCorrection1: 1 - b1 ** t,
          biasCorrection2: 1 - b2 ** t,
          weightDecay: wd,
          decoupled: this.decoupled,
        } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      return { param: p as tf.Tensor, slots: { m: m as tf.Tensor, v: v as tf.Tensor } };
    }
    let p: tf.Tensor = param;
    let g = grad;
    if (wd !== 0) {
      if (this.decoupled) p = p.mul(1 - lr * wd);
      else g = g.add(param.mul(wd));
    }
    const m = slots
      .get('m')!
      .mul(b1)
      .add(g.mul(1 - b1));
    const v = slots
      .get('v')!
      .mul(b2)
      .add(g.square().mul(1 - b2));
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const denom = v.sqrt().div(Math.sqrt(bc2)).add(this.config.eps);
    return { param: p.sub(m.div(denom).mul(lr / bc1)), slots: { m, v } };
  }
}
