/**
 * Parameters of the functional transformer building blocks: plain `tf.Variable`s kept in one
 * map under stable slash-separated names (`<prefix>layer0/attn/wq/kernel`), so a method hands
 * the map straight to `Method.trainableVariables` and checkpoints restore by name.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Rng } from '../random/rng.js';

/** Name -> variable. Every `init*` function of `nn` adds its variables here. */
export type ParamMap = Map<string, tf.Variable>;

/** How a new parameter is filled. */
export type ParamInit = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

/** Standard deviation of the normal initialiser of weights (GPT-2 / BERT use 0.02). */
export const DEFAULT_INIT_STD = 0.02;

/**
 * Creates a trainable variable of `shape` under `name` in `params`, filled by `init` from
 * `rng` (so the same seed gives the same weights in every process). Refuses a duplicate name.
 */
export function createParam(params: ParamMap, name: string, shape: number[], init: ParamInit, rng: Rng): tf.Variable {
  if (params.has(name)) throw new ConfigError(`parameter '${name}' already exists`, { field: 'name' });
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (init.kind === 'ones') values.fill(1);
  else if (init.kind === 'normal') for (let i = 0; i < size; i++) values[i] = rng.normal() * init.std;
  // tf.variable shares the initial tensor's data but the tensor stays counted until disposed.
  const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
  params.set(name, v);
  return v;
}

/** Looks a parameter up, failing with the missing name and the known prefix. */
export function getParam(params: ParamMap, name: string): tf.Variable {
  const v = params.get(name);
  if (!v) throw new ConfigError(`missing parameter '${name}' (have ${params.size} parameters)`, { field: name });
  return v;
}

/** Disposes every variable of the map and empties it. */
export function disposeParams(params: ParamMap): void {
  for (const v of params.values()) v.dispose();
  params.clear();
}
