/**
 * Position information added to token embeddings: fixed sinusoids (Vaswani et al., 2017,
 * section 3.5) or a learned table `[maxLen, dim]` (BERT, GPT).
 */
import * as tf from '@tensorflow/tfjs';
import { assertShape, ConfigError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { createParam, DEFAULT_INIT_STD, getParam, type ParamMap } from './params.js';

/** `learned` (a trained table) or `sinusoidal` (fixed, no parameters). */
export type PositionKind = 'learned' | 'sinusoidal';

/**
 * Sinusoidal table `[seq, dim]`: `PE[p, 2i] = sin(p / 10000^(2i/dim))`,
 * `PE[p, 2i+1] = cos(p / 10000^(2i/dim))`.
 */
export function sinusoidalPositions(seq: number, dim: number): tf.Tensor2D {
  const v = new Float32Array(seq * dim);
  for (let p = 0; p < seq; p++) {
    for (let i = 0; i < dim; i += 2) {
      const angle = p / 10000 ** (i / dim);
      v[p * dim + i] = Math.sin(angle);
      if (i + 1 < dim) v[p * dim + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(v, [seq, dim]);
}

/** Adds the learned table `<name>` `[maxLen, dim]` (normal, std 0.02). */
export function initLearnedPositions(params: ParamMap, name: string, maxLen: number, dim: number, rng: Rng): void {
  createParam(params, name, [maxLen, dim], { kind: 'normal', std: DEFAULT_INIT_STD }, rng);
}

/** The first `seq` rows of the learned table `<name>`, `[seq, dim]`. */
export function learnedPositions(params: ParamMap, name: string, seq: number): tf.Tensor2D {
  const table = getParam(params, name);
  if (seq > table.shape[0]!) {
    throw new ConfigError(`sequence of ${seq} tokens exceeds the context length ${table.shape[0]}`, {
      field: 'contextLength',
    });
  }
  return tf.slice(table, [0, 0], [seq, table.shape[1]!]) as tf.Tensor2D;
}

/** `x` `[batch, seq, dim]` plus positions of the given kind. */
export function addPositions(params: ParamMap, name: string, kind: PositionKind, x: tf.Tensor3D): tf.Tensor3D {
  const [, s, d] = x.shape;
  return tf.tidy(() => {
    const pe = kind === 'learned' ? learnedPositions(params, name, s) : sinusoidalPositions(s, d);
    assertShape(pe.shape[1] === d, () => `positions width ${pe.shape[1]}, input width ${d}`);
    return tf.add(x, pe) as tf.Tensor3D;
  });
}
