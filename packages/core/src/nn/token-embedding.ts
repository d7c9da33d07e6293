/** Token embedding: a learned table `[vocab, dim]` looked up by integer ids. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { createParam, DEFAULT_INIT_STD, getParam, type ParamMap } from './params.js';

/** Adds the table `<name>` `[vocabSize, dim]` (normal, std 0.02). */
export function initTokenEmbedding(params: ParamMap, name: string, vocabSize: number, dim: number, rng: Rng): void {
  createParam(params, name, [vocabSize, dim], { kind: 'normal', std: DEFAULT_INIT_STD }, rng);
}

/** `ids` `[batch, seq]` (int32) -> `[batch, seq, dim]`. */
export function tokenEmbedding(params: ParamMap, name: string, ids: tf.Tensor2D): tf.Tensor3D {
  const table = getParam(params, name);
  return tf.tidy(() => {
    const [b, s] = ids.shape;
    const flat = tf.gather(table, tf.reshape(tf.cast(ids, 'int32'), [-1]));
    return tf.reshape(flat, [b, s, table.shape[1]!]) as tf.Tensor3D;
  });
}
