import type * as tf from '@tensorflow/tfjs';
import { Adam, type AdamConfig } from './adam.js';

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient,
 * p *= 1 - lr * weightDecay before the Adam update, as `torch.optim.AdamW`. Slots: `m`, `v`.
 */
export class AdamW extends Adam {
  override readonly name: string = 'adamw';
  protected override readonly decoupled: boolean = true;

  constructor(params: ReadonlyMap<string, tf.Variable>, config: Partial<AdamConfig> = {}) {
    super(params, config);
  }
}
