/**
 * Exponential moving average of weights, the target network of BYOL (Grill et al. 2020,
 * "Bootstrap Your Own Latent", sec. 3.1): `xi <- tau xi + (1 - tau) theta`, with the cosine
 * schedule of tau from sec. 3.2 / appendix: `tau_k = 1 - (1 - tau_base)(cos(pi k / K) + 1) / 2`.
 * Also MoCo's momentum encoder (He et al. 2020, eq. 2) with a constant momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';

/**
 * In place, for every name: `target = momentum * target + (1 - momentum) * online`.
 * Both maps must hold the same names with the same shapes (the target is a copy of the
 * online network). Creates no lasting tensors.
 * @param momentum in [0, 1]; 1 keeps the target, 0 copies the online weights.
 * @throws ConfigError naming a variable missing from either map, or a bad momentum;
 * ShapeError naming a variable whose shapes differ.
 */
export function emaUpdate(target: Map<string, tf.Variable>, online: Map<string, tf.Variable>, momentum: number): void {
  if (!(Number.isFinite(momentum) && momentum >= 0 && momentum <= 1)) {
    throw new ConfigError(`expected a number in [0, 1], got ${momentum}`, { field: 'emaUpdate.momentum' });
  }
  for (const name of online.keys()) {
    if (!target.has(name)) throw new ConfigError(`online variable '${name}' has no EMA target`, { field: name });
  }
  for (const [name, t] of target) {
    const o = online.get(name);
    if (o === undefined) throw new ConfigError(`EMA target '${name}' has no online variable`, { field: name });
    if (t.shape.length !== o.shape.length || t.shape.some((d, i) => d !== o.shape[i])) {
      throw new ShapeError(`emaUpdate: '${name}' has target shape [${t.shape}] but online shape [${o.shape}]`);
    }
  }
  tf.tidy(() => {
    for (const [name, t] of target) {
      const o = online.get(name)!;
      t.assign(tf.add(tf.mul(t, momentum), tf.mul(o, 1 - momentum)));
    }
  });
}

/**
 * BYOL's cosine momentum schedule: `final - (final - base) * (cos(pi * step / totalSteps) + 1) / 2`,
 * rising from `base` at step 0 to `final` at `totalSteps` (steps beyond are clamped).
 * @param base default 0.996 (BYOL); @param final default 1.
 * @throws ConfigError when totalSteps is not a positive number.
 */
export function cosineMomentum(step: number, totalSteps: number, base = 0.996, final = 1): number {
  if (!(Number.isFinite(totalSteps) && totalSteps > 0)) {
    throw new ConfigError(`expected a positive number, got ${totalSteps}`, { field: 'cosineMomentum.totalSteps' });
  }
  const k = Math.min(Math.max(step, 0), totalSteps);
  return final - ((final - base) * (Math.cos((Math.PI * k) / totalSteps) + 1)) / 2;
}
