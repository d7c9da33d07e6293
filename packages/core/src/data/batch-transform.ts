import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';

/**
 * A seeded transform of a batch (an augmentation of images, waveforms or DNA). Pure: all
 * randomness comes from `rng`, so the same generator state gives the same output. The caller
 * owns the result; the input is not disposed.
 */
export type BatchTransform<T extends tf.Tensor = tf.Tensor> = (x: T, rng: Rng) => T;

/** Applies transforms in order, disposing the intermediates; with none, a copy of the input. */
export function composeTransforms<T extends tf.Tensor>(...steps: BatchTransform<T>[]): BatchTransform<T> {
  return (input, rng) => {
    let x = input;
    for (const step of steps) {
      const y = step(x, rng);
      if (x !== input) x.dispose();
      x = y;
    }
    return x === input ? (input.clone() as T) : x;
  };
}
