import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';

/**
 * Assigns `tensors.get(prefix + name)` to every variable in `variables`. Every variable must
 * find a tensor of its shape: a missing name or a shape mismatch is a CheckpointError naming
 * `source`, the tensor and both shapes. Checks all before assigning any, so a failed restore
 * leaves the variables untouched.
 */
export function restoreVariables(
  variables: ReadonlyMap<string, tf.Variable>,
  tensors: ReadonlyMap<string, tf.Tensor>,
  prefix: string,
  source: string,
): void {
  for (const [name, v] of variables) {
    const t = tensors.get(prefix + name);
    if (!t) throw new CheckpointError(`no tensor named '${prefix + name}'`, { path: source });
    if (!tf.util.arraysEqual(t.shape, v.shape)) {
      throw new CheckpointError(`tensor '${prefix + name}' has shape [${t.shape}], the model expects [${v.shape}]`, {
        path: source,
      });
    }
    if (t.dtype !== v.dtype) {
      throw new CheckpointError(`tensor '${prefix + name}' is ${t.dtype}, the model expects ${v.dtype}`, {
        path: source,
      });
    }
  }
  for (const [name, v] of variables) v.assign(tensors.get(prefix + name)!);
}

/** The entries of `tensors` whose names start with `prefix`, with the prefix removed. */
export function withPrefix<T>(tensors: ReadonlyMap<string, T>, prefix: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const [k, t] of tensors) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), t);
  return out;
}
