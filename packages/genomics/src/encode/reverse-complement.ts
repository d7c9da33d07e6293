/**
 * Reverse complement of DNA, for strings and for one-hot tensors. With channels in ACGT order
 * the complement of channel c is channel 3 - c, so the reverse complement of a one-hot
 * `[batch, length, 4]` tensor is that tensor flipped along both the length and channel axes.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@autodidact/core';

const COMPLEMENT: Readonly<Record<string, string>> = {
  A: 'T',
  C: 'G',
  G: 'C',
  T: 'A',
  U: 'A',
  N: 'N',
  R: 'Y',
  Y: 'R',
  S: 'S',
  W: 'W',
  K: 'M',
  M: 'K',
  B: 'V',
  V: 'B',
  D: 'H',
  H: 'D',
};

/** Reverse complement of an upper-case IUPAC sequence (ambiguity codes map to their complements). */
export function reverseComplement(sequence: string): string {
  const out = new Array<string>(sequence.length);
  for (let i = 0, j = sequence.length - 1; j >= 0; i++, j--) {
    const c = sequence[j]!;
    out[i] = COMPLEMENT[c] ?? c;
  }
  return out.join('');
}

/** Reverse complement of base codes (0..3 = ACGT, 4 = N), a new array. */
export function reverseComplementCodes(codes: Uint8Array): Uint8Array {
  const n = codes.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[n - 1 - i]!;
    out[i] = c < 4 ? 3 - c : c;
  }
  return out;
}

/**
 * Reverse complement of one-hot DNA `[batch, length, 4]` (ACGT channel order) -> same shape.
 * Flipping both axes of a row-major `[length, 4]` block is reversing its `length * 4` values,
 * done as one gather (tf.reverse's CPU kernel costs about 25x as much).
 */
export function reverseComplementOneHot(x: tf.Tensor3D): tf.Tensor3D {
  if (x.rank !== 3 || x.shape[2] !== 4) {
    throw new ShapeError(`reverseComplementOneHot: expected one-hot DNA [batch, length, 4], got [${x.shape}]`);
  }
  const [b, len] = x.shape;
  const n = len * 4;
  return tf.tidy(() => {
    const idx = tf.tensor1d(reversedIndices(n), 'int32');
    return tf.reshape(tf.gather(tf.reshape(x, [b, n]), idx, 1), [b, len, 4]) as tf.Tensor3D;
  });
}

const reversedCache = new Map<number, Int32Array>();
function reversedIndices(n: number): Int32Array {
  let r = reversedCache.get(n);
  if (!r) {
    r = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
    if (reversedCache.size > 16) reversedCache.clear();
    reversedCache.set(n, r);
  }
  return r;
}
