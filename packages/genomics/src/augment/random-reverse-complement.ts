/**
 * Replaces each sequence of a batch by its reverse complement with probability `p`: the other
 * strand of the same double helix, so the label (species, coding or not) is unchanged.
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { reverseComplementOneHot } from '../encode/reverse-complement.js';
import type { DnaAugmentation } from './dna-augmentation.js';

/** Random reverse complement with probability `p` (default 0.5). */
export function randomReverseComplement(p = 0.5): DnaAugmentation {
  if (!(p >= 0 && p <= 1)) throw new ConfigError(`expected a probability in [0, 1], got ${p}`, { field: 'p' });
  return (x, rng) => {
    const b = x.shape[0];
    const mask = new Float32Array(b);
    for (let i = 0; i < b; i++) mask[i] = rng.bernoulli(p) ? 1 : 0;
    return tf.tidy(() => {
      const m = tf.tensor3d(mask, [b, 1, 1]);
      return tf.add(tf.mul(reverseComplementOneHot(x), m), tf.mul(x, tf.sub(1, m))) as tf.Tensor3D;
    });
  };
}
