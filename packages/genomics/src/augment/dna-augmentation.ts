import { composeTransforms, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * A seeded batch transform on one-hot DNA `[batch, length, 4]`. Pure: all randomness comes
 * from `rng`. The caller owns the returned tensor; the input is not disposed.
 */
export type DnaAugmentation = (x: tf.Tensor3D, rng: Rng) => tf.Tensor3D;

/** Applies augmentations in order, disposing the intermediates. */
export function composeDna(...steps: DnaAugmentation[]): DnaAugmentation {
  return composeTransforms(...steps);
}
