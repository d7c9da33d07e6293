/**
 * Recorded transitions of a world as a {@link Dataset} the Trainer draws from: sample i is
 * transition i (observation, action, reward, next observation); a batch holds them as tensors.
 */
import type { Dataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Transitions } from './grid-world.js';

/** A batch of transitions. */
export interface TransitionBatch {
  /** Observations before each move, `[batch, obsSize]`. */
  obs: tf.Tensor2D;
  /** Observations after each move, `[batch, obsSize]`. */
  nextObs: tf.Tensor2D;
  /** Action indices, `[batch]` (int32). */
  actions: tf.Tensor1D;
  /** Rewards, `[batch]`. */
  rewards: tf.Tensor1D;
}

/** The transitions of one exploration, addressed by index. */
export class TransitionDataset implements Dataset<TransitionBatch> {
  readonly size: number;
  readonly sampleShape: readonly number[];

  constructor(
    readonly data: Transitions,
    readonly obsSize: number,
  ) {
    this.size = data.count;
    this.sampleShape = [obsSize];
  }

  getBatch(indices: readonly number[]): TransitionBatch {
    const n = this.obsSize;
    const d = this.data;
    const obs = new Float32Array(indices.length * n);
    const nextObs = new Float32Array(indices.length * n);
    indices.forEach((j, i) => {
      obs.set(d.obs.subarray(j * n, (j + 1) * n), i * n);
      nextObs.set(d.nextObs.subarray(j * n, (j + 1) * n), i * n);
    });
    return {
      obs: tf.tensor2d(obs, [indices.length, n]),
      nextObs: tf.tensor2d(nextObs, [indices.length, n]),
      actions: tf.tensor1d(
        Int32Array.from(indices, (j) => d.actions[j]!),
        'int32',
      ),
      rewards: tf.tensor1d(Float32Array.from(indices, (j) => d.rewards[j]!)),
    };
  }
}
