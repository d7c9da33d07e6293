/** Mirrors each image left-right with probability `p` (default 0.5). */
import * as tf from '@tensorflow/tfjs';
import { type Augmentation, bernoulliMask } from './augmentation.js';

export function horizontalFlip(p = 0.5): Augmentation {
  return (images, rng) => {
    const b = images.shape[0];
    const mask = bernoulliMask(b, p, rng);
    return tf.tidy(() => {
      const m = tf.tensor4d(mask, [b, 1, 1, 1]);
      const flipped = tf.reverse(images, 2);
      return tf.add(tf.mul(flipped, m), tf.mul(images, tf.sub(1, m))) as tf.Tensor4D;
    });
  };
}
