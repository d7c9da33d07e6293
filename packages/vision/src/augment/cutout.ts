/**
 * Cutout (DeVries & Taylor 2017): with probability `p`, zeroes one random square of side
 * `size` pixels (clipped at the border) in each image.
 */
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

export function cutout(size = 8, p = 0.5): Augmentation {
  return (images, rng) => {
    const [b, h, w] = images.shape;
    const mask = new Float32Array(b * h * w).fill(1);
    for (let i = 0; i < b; i++) {
      if (!rng.bernoulli(p)) continue;
      const cy = rng.int(h);
      const cx = rng.int(w);
      const y0 = Math.max(0, cy - Math.floor(size / 2));
      const x0 = Math.max(0, cx - Math.floor(size / 2));
      const y1 = Math.min(h, y0 + size);
      const x1 = Math.min(w, x0 + size);
      for (let y = y0; y < y1; y++) mask.fill(0, i * h * w + y * w + x0, i * h * w + y * w + x1);
    }
    return tf.tidy(() => tf.mul(images, tf.tensor4d(mask, [b, h, w, 1])) as tf.Tensor4D);
  };
}
