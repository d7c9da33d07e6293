/**
 * Point mutations: each position is, with probability `rate`, replaced by a base drawn
 * uniformly from the three other bases (a substitution, as in sequencing errors and SNPs);
 * positions that are N stay N.
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { DnaAugmentation } from './dna-augmentation.js';

/** Substitutes bases at `rate` per position (default 0.01). */
export function pointMutation(rate = 0.01): DnaAugmentation {
  if (!(rate >= 0 && rate <= 1)) throw new ConfigError(`expected a rate in [0, 1], got ${rate}`, { field: 'rate' });
  return (x, rng) => {
    const [b, len] = x.shape;
    // Draw on the host from the run's generator: exactly reproducible on every backend.
    const codes = x.argMax(2);
    const present = x.sum(2);
    const c = codes.dataSync();
    const has = present.dataSync();
    tf.dispose([codes, present]);
    const out = new Float32Array(b * len * 4);
    for (let i = 0; i < b * len; i++) {
      if (has[i]! === 0) continue;
      let base = c[i]!;
      if (rate > 0 && rng.bernoulli(rate)) base = (base + 1 + rng.int(3)) % 4;
      out[i * 4 + base] = 1;
    }
    return tf.tensor3d(out, [b, len, 4]);
  };
}
