import { composeTransforms, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * A seeded batch transform on waveforms `[batch, samples]` or spectrograms
 * `[batch, frames, bands]`. Pure: all randomness comes from `rng`, so the same generator state
 * gives the same output. The caller owns the result; the input is not disposed.
 */
export type AudioAugmentation<T extends tf.Tensor = tf.Tensor2D> = (x: T, rng: Rng) => T;

/** Applies augmentations in order, disposing the intermediates. */
export function composeAudio<T extends tf.Tensor>(...steps: AudioAugmentation<T>[]): AudioAugmentation<T> {
  return composeTransforms(...steps);
}
