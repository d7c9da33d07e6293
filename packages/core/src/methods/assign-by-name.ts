import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';

/**
 * Copies tensors into variables by name. Every variable must find a tensor of its shape;
 * a missing name or a shape mismatch is a CheckpointError naming both.
 */
export function assignByName(variables: Map<string, tf.Variable>, tensors: tf.NamedTensorMap, source: string): void {
  for (const [name, v] of variables) {
    const t = tensors[name];
    if (!t) throw new CheckpointError(`no weight named '${name}'`, { path: source });
    if (!tf.util.arraysEqual(t.shape, v.shape)) {
      throw new CheckpointError(`weight '${name}' has shape [${t.shape}], the model expects [${v.shape}]`, {
        path: source,
      });
    }
    v.assign(t);
  }
}
