/** Layer normalisation over the last axis (Ba et al., 2016), with learned gain and shift. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { createParam, getParam, type ParamMap } from './params.js';

/** Adds `<name>/gamma` (ones) and `<name>/beta` (zeros), both `[dim]`. */
export function initLayerNorm(params: ParamMap, name: string, dim: number, rng: Rng): void {
  createParam(params, `${name}/gamma`, [dim], { kind: 'ones' }, rng);
  createParam(params, `${name}/beta`, [dim], { kind: 'zeros' }, rng);
}

/** `x` `[..., dim]` normalised to zero mean and unit (biased) variance per row, then scaled and shifted. */
export function layerNorm(params: ParamMap, name: string, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  const gamma = getParam(params, `${name}/gamma`);
  const beta = getParam(params, `${name}/beta`);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(xhat, gamma), beta);
  });
}
