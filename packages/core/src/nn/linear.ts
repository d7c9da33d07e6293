/** Affine map `y = x W + b` over the last axis, with `W` stored `[in, out]`. */
import * as tf from '@tensorflow/tfjs';
import { assertShape } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { createParam, DEFAULT_INIT_STD, getParam, type ParamMap } from './params.js';

/** Adds `<name>/kernel` `[inDim, outDim]` (normal, std 0.02) and `<name>/bias` `[outDim]` (zeros). */
export function initLinear(
  params: ParamMap,
  name: string,
  inDim: number,
  outDim: number,
  rng: Rng,
  std = DEFAULT_INIT_STD,
): void {
  createParam(params, `${name}/kernel`, [inDim, outDim], { kind: 'normal', std }, rng);
  createParam(params, `${name}/bias`, [outDim], { kind: 'zeros' }, rng);
}

/** `x` `[..., inDim]` -> `[..., outDim]`. */
export function linear(params: ParamMap, name: string, x: tf.Tensor): tf.Tensor {
  const w = getParam(params, `${name}/kernel`);
  const b = getParam(params, `${name}/bias`);
  const inDim = w.shape[0]!;
  const lead = x.shape.slice(0, -1);
  assertShape(
    x.shape[x.rank - 1] === inDim,
    () => `${name}: input last axis ${x.shape[x.rank - 1]}, expected ${inDim}`,
  );
  return tf.tidy(() => {
    const y = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]), w), b);
    return tf.reshape(y, [...lead, w.shape[1]!]);
  });
}
