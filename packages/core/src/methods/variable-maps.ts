/** Named variable maps of a method's parts: merging them and keeping a target network's names apart. */
import type * as tf from '@tensorflow/tfjs';

/** Merges variable maps, refusing duplicate names. */
export function mergeVariables(...maps: Map<string, tf.Variable>[]): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const m of maps) {
    for (const [k, v] of m) {
      if (out.has(k)) throw new Error(`duplicate variable name ${k}`);
      out.set(k, v);
    }
  }
  return out;
}

/** The same variables under `prefix` + name (to keep a target network's names apart). */
export function prefixed(prefix: string, m: Map<string, tf.Variable>): Map<string, tf.Variable> {
  return new Map([...m].map(([k, v]) => [`${prefix}${k}`, v]));
}
