/**
 * Parameters and state of the modules outside tf.layers: plain `tf.Variable`s kept in one map
 * under stable slash-separated names (`<prefix>layer0/attn/wq/kernel`, `head/dense1/bias`,
 * `queue/pointer`), so a method hands the map straight to `Method.trainableVariables` (or
 * `stateVariables`) and checkpoints restore by name. `createParam` draws from our seeded `Rng`;
 * `adoptParam` takes any other initial value (a tfjs-seeded draw, given weights, a fixed matrix)
 * and makes non-trainable state (queues, running statistics) with `trainable: false`. The
 * tfjs variables themselves stay unnamed (tfjs's names are global and must be unique per
 * process): a variable's stable name is its key here.
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

/** Options of {@link adoptParam}. */
export interface AdoptParamOptions {
  /**
   * Whether the optimizer trains it. Default true; false for state a method updates itself
   * (a queue, a running statistic, a closed-form weight) that checkpoints still hold.
   */
  trainable?: boolean;
}

/**
 * Creates a variable under `name` in `params` holding the tensor `initial()` returns (its shape
 * and dtype), for initialisers `createParam` has not (a tfjs-seeded uniform draw, weights given
 * by the caller, an orthogonal or identity matrix). `initial` runs inside `tf.tidy`, so no
 * intermediate (nor the initial tensor itself) stays counted: the map gains exactly one tensor.
 * A tensor of the caller's that `initial` returns as is stays the caller's to dispose.
 * Refuses a duplicate name.
 */
export function adoptParam(
  params: ParamMap,
  name: string,
  initial: () => tf.Tensor,
  options: AdoptParamOptions = {},
): tf.Variable {
  if (params.has(name)) throw new ConfigError(`parameter '${name}' already exists`, { field: 'name' });
  const v = tf.tidy(() => tf.variable(initial(), options.trainable ?? true));
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
