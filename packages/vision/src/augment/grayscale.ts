/**
 * Random grayscale (SimCLR, BYOL: p = 0.2): with probability `p` per image, replaces the
 * colours by ITU-R BT.601 luma `0.299 R + 0.587 G + 0.114 B`, repeated over the three channels
 * so the channel count is kept (torchvision's `RandomGrayscale`). Single-channel images are
 * already grey and pass through unchanged.
 */
import { ConfigError, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type Augmentation, bernoulliMask } from './augmentation.js';

/** BT.601 luma weights of R, G, B. */
export const LUMA_601: readonly [number, number, number] = [0.299, 0.587, 0.114];

/** Luma of RGB images `[batch, h, w, 3]`, repeated to `[batch, h, w, 3]`. */
export function toGrayscale(images: tf.Tensor4D): tf.Tensor4D {
  const c = images.shape[3];
  if (c === 1) return images.clone();
  if (c !== 3) throw new ShapeError(`grayscale needs 1 or 3 channels, got ${c}`);
  return tf.tidy(() => {
    const y = tf.sum(tf.mul(images, tf.tensor4d([...LUMA_601], [1, 1, 1, 3])), 3, true); // [batch, h, w, 1]
    return tf.tile(y, [1, 1, 1, 3]) as tf.Tensor4D;
  });
}

/** Turns each image grey with probability `p` (default 0.2). */
export function randomGrayscale(p = 0.2): Augmentation {
  if (!(p >= 0 && p <= 1)) throw new ConfigError(`expected a probability in [0, 1], got ${p}`, { field: 'p' });
  return (images, rng) => {
    const b = images.shape[0];
    const mask = bernoulliMask(b, p, rng);
    if (images.shape[3] === 1) return images.clone();
    return tf.tidy(() => {
      const m = tf.tensor4d(mask, [b, 1, 1, 1]);
      const g = toGrayscale(images);
      return tf.add(tf.mul(g, m), tf.mul(images, tf.sub(1, m))) as tf.Tensor4D;
    });
  };
}
