/**
 * One-hot DNA: `[batch, length, 4]` float32 with channels A, C, G, T; N (code 4) is all zeros,
 * so an unknown base carries no evidence for any base.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@autodidact/core';

/** One-hot values of equal-length code arrays, row-major `[batch * length * 4]`. */
export function oneHotValues(rows: readonly Uint8Array[], length: number): Float32Array {
  const out = new Float32Array(rows.length * length * 4);
  rows.forEach((r, b) => {
    if (r.length !== length) {
      throw new ShapeError(`oneHot: row ${b} has ${r.length} bases, expected ${length}`);
    }
    const base = b * length * 4;
    for (let i = 0; i < length; i++) {
      const c = r[i]!;
      if (c < 4) out[base + i * 4 + c] = 1;
    }
  });
  return out;
}

/** One-hot tensor `[batch, length, 4]` of equal-length base-code rows. */
export function oneHot(rows: readonly Uint8Array[]): tf.Tensor3D {
  if (rows.length === 0) throw new ShapeError('oneHot: no rows');
  const length = rows[0]!.length;
  return tf.tensor3d(oneHotValues(rows, length), [rows.length, length, 4]);
}
