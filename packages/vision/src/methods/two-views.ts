import type { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';

/**
 * Two augmented views of a batch stacked into one tensor `[2N, h, w, c]` (view 1 rows first),
 * so one encoder pass sees both views and batch-norm statistics span all 2N images.
 */
export function stackedViews(batch: tf.Tensor, views: Augmentation, rng: Rng): tf.Tensor4D {
  const x = batch as tf.Tensor4D;
  return tf.tidy(() => tf.concat([views(x, rng), views(x, rng)], 0));
}

/** Splits `[2N, d]` rows back into the two views' `[N, d]` halves. */
export function splitViews(z: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const n = z.shape[0] / 2;
  return tf.split(z, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
}
