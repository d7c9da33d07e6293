/** Adds zero-mean Gaussian noise of standard deviation `std` (default 0.1), clipped to [0, 1]. */
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

export function gaussianNoise(std = 0.1): Augmentation {
  return (images, rng) =>
    tf.tidy(
      () =>
        tf.clipByValue(
          tf.add(images, tf.randomNormal(images.shape, 0, std, 'float32', rng.seed())),
          0,
          1,
        ) as tf.Tensor4D,
    );
}
