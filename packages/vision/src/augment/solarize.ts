/**
 * Random solarization (BYOL's second view: p = 0.2, threshold 0.5): with probability `p` per
 * image, every pixel value `x >= threshold` becomes `1 - x` (torchvision's `RandomSolarize`
 * for images in [0, 1]); values below the threshold are kept.
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type Augmentation, bernoulliMask } from './augmentation.js';

/** Options of `solarize`. */
export interface SolarizeOptions {
  /** Pixels at or above this value are inverted. Default 0.5. */
  threshold?: number;
  /** Probability of solarizing an image. Default 0.2. */
  p?: number;
}

/** Solarizes each image with probability `p`. */
export function solarize(options: SolarizeOptions = {}): Augmentation {
  const threshold = options.threshold ?? 0.5;
  const p = options.p ?? 0.2;
  if (!(p >= 0 && p <= 1)) throw new ConfigError(`expected a probability in [0, 1], got ${p}`, { field: 'p' });
  if (!Number.isFinite(threshold)) {
    throw new ConfigError(`expected a finite threshold, got ${threshold}`, { field: 'threshold' });
  }
  return (images, rng) => {
    const b = images.shape[0];
    const mask = bernoulliMask(b, p, rng);
    return tf.tidy(() => {
      const on = tf.logicalAnd(tf.greaterEqual(images, threshold), tf.greater(tf.tensor4d(mask, [b, 1, 1, 1]), 0.5)); // [batch, h, w, c]
      return tf.where(on, tf.sub(1, images), images) as tf.Tensor4D;
    });
  };
}
