/** Random gain: each clip scaled by 10^(g/20) with g uniform in [minDb, maxDb]. */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { AudioAugmentation } from './augmentation.js';

/** Scales waveforms `[batch, samples]` by a random gain per clip (default -6..+6 dB). */
export function randomGain(minDb = -6, maxDb = 6): AudioAugmentation {
  if (!(minDb <= maxDb))
    throw new ConfigError(`expected minDb <= maxDb, got ${minDb}, ${maxDb}`, { field: 'randomGain' });
  return (x, rng) => {
    const b = x.shape[0];
    const g = Float32Array.from({ length: b }, () => 10 ** (rng.uniform(minDb, maxDb) / 20));
    return tf.tidy(() => tf.mul(x, tf.tensor2d(g, [b, 1])) as tf.Tensor2D);
  };
}
