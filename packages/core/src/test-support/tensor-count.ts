/** Tensor bookkeeping for tests that check a step frees every tensor it makes. */
import * as tf from '@tensorflow/tfjs';

/**
 * How many tensors `repeats` calls of `step` leave behind, counted after one first call (which
 * may make what is meant to live on: optimizer slots, caches). 0 when each step frees what it makes.
 */
export function tensorsLeftBy(step: () => void, repeats: number): number {
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) step();
  return tf.memory().numTensors - before;
}
