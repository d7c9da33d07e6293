/**
 * Additive white Gaussian noise at a signal-to-noise ratio: per clip, noise power =
 * signal power / 10^(snr/10), with snr drawn uniformly from a `[min, max]` range in dB, or
 * fixed when one number is given. Silent clips get no noise.
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { AudioAugmentation } from './augmentation.js';

/** Adds noise to waveforms `[batch, samples]` at an SNR in dB: fixed or a `[min, max]` range (default 10..30). */
export function addNoise(snrDb: number | readonly [number, number] = [10, 30]): AudioAugmentation {
  const [minSnrDb, maxSnrDb] = typeof snrDb === 'number' ? [snrDb, snrDb] : snrDb;
  if (!(minSnrDb <= maxSnrDb)) {
    throw new ConfigError(`expected minSnrDb <= maxSnrDb, got ${minSnrDb}, ${maxSnrDb}`, { field: 'addNoise' });
  }
  return (x, rng) => {
    const [b, n] = x.shape;
    const snr = Float32Array.from({ length: b }, () => 10 ** (-rng.uniform(minSnrDb, maxSnrDb) / 20));
    const seed = rng.seed();
    return tf.tidy(() => {
      const signalRms = tf.sqrt(tf.mean(tf.square(x), 1, true)); // [batch, 1]
      const noise = tf.randomNormal([b, n], 0, 1, 'float32', seed);
      // Normalise the drawn noise to unit power exactly, so the SNR holds per clip, not on average.
      const noiseRms = tf.sqrt(tf.mean(tf.square(noise), 1, true));
      const scale = tf.div(tf.mul(signalRms, tf.tensor2d(snr, [b, 1])), noiseRms);
      return tf.add(x, tf.mul(noise, scale)) as tf.Tensor2D;
    });
  };
}
