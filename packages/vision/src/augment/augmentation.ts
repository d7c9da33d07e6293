import { composeTransforms, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * A seeded batch transform on images `[batch, height, width, channels]` with values in [0, 1].
 * Pure: all randomness comes from `rng`, so the same generator state gives the same output.
 * The caller owns the returned tensor; the input is not disposed.
 */
export type Augmentation = (images: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

/** Applies augmentations in order, disposing the intermediates. */
export function compose(...steps: Augmentation[]): Augmentation {
  return composeTransforms(...steps);
}

/** Per-sample Bernoulli draws as a float mask `[batch]`. */
export function bernoulliMask(batch: number, p: number, rng: Rng): Float32Array {
  const m = new Float32Array(batch);
  for (let i = 0; i < batch; i++) m[i] = rng.bernoulli(p) ? 1 : 0;
  return m;
}
