/**
 * Brightness and contrast jitter, applied with probability `p` per image: brightness scales
 * the image by a factor in [1-b, 1+b]; contrast moves pixels away from or toward the image
 * mean by a factor in [1-c, 1+c] (torchvision's definitions). Results are clipped to [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

export interface ColorJitterOptions {
  brightness?: number;
  contrast?: number;
  p?: number;
}

export function colorJitter(options: ColorJitterOptions = {}): Augmentation {
  const { brightness = 0.4, contrast = 0.4, p = 0.8 } = options;
  return (images, rng) => {
    const b = images.shape[0];
    const bf = new Float32Array(b);
    const cf = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      const on = rng.bernoulli(p);
      bf[i] = on ? rng.uniform(1 - brightness, 1 + brightness) : 1;
      cf[i] = on ? rng.uniform(1 - contrast, 1 + contrast) : 1;
    }
    return tf.tidy(() => {
      const bright = tf.mul(images, tf.tensor4d(bf, [b, 1, 1, 1]));
      const mean = tf.mean(bright, [1, 2, 3], true);
      const c = tf.tensor4d(cf, [b, 1, 1, 1]);
      return tf.clipByValue(tf.add(tf.mul(tf.sub(bright, mean), c), mean), 0, 1) as tf.Tensor4D;
    });
  };
}
