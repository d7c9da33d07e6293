/**
 * A first-in-first-out store of earlier projections `[size, dim]` (NNCLR's support set, MoCo's
 * queue of negative keys): rows are overwritten at a write pointer that wraps around. Both the
 * rows and the pointer are non-trainable variables of a ParamMap, listed by
 * {@link SupportQueue.stateVariables} under `prefix`, so a resumed run continues with the same
 * store.
 */
import {
  adoptParam,
  disposeParams,
  l2NormalizeRows,
  type OptionEntry,
  type ParamMap,
  type Rng,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/**
 * `queueSize`, the rows of a method's {@link SupportQueue} (MoCo's negative keys, NNCLR's
 * support set): an integer >= 1, 4,096 by default (the papers' 65,536 and 98,304 are for
 * ImageNet), described as the method uses it.
 */
export function queueSizeOption(description: string): OptionEntry<number> {
  return { type: 'integer', default: 4096, min: 1, description };
}

/** A FIFO of `size` rows with a wrapping write pointer (see the file's header). */
export class SupportQueue {
  /** `<prefix><rowsName>` and `<prefix>pointer`, both non-trainable. */
  private readonly state: ParamMap = new Map();
  /** The stored rows `[size, dim]`. */
  readonly rows: tf.Variable;
  /** Next row to overwrite (scalar, float32: exact up to 2^24). */
  readonly pointer: tf.Variable;

  /** Starts as random unit vectors (as solo-learn's NNCLR queue and MoCo's reference code do). */
  constructor(
    readonly size: number,
    dim: number,
    rng: Rng,
    /** Prefix of its variables in checkpoints. */
    readonly prefix = 'queue/',
    /** Name of the rows' variable after the prefix (MoCo's checkpoints say `keys`). */
    rowsName = 'rows',
  ) {
    const kept = { trainable: false };
    this.rows = adoptParam(
      this.state,
      `${prefix}${rowsName}`,
      () => l2NormalizeRows(tf.randomNormal([size, dim], 0, 1, 'float32', rng.seed())),
      kept,
    );
    this.pointer = adoptParam(this.state, `${prefix}pointer`, () => tf.scalar(0), kept);
  }

  /** Writes `x [m, dim]` at the pointer (wrapping around; at most `size` rows) and advances it. */
  push(x: tf.Tensor2D): void {
    const size = this.size;
    const m = Math.min(x.shape[0], size);
    const start = this.pointer.dataSync()[0]!;
    tf.tidy(() => {
      const take = new Int32Array(size);
      const mask = new Float32Array(size);
      for (let j = 0; j < m; j++) {
        take[(start + j) % size] = j;
        mask[(start + j) % size] = 1;
      }
      const incoming = tf.gather(x.slice([0, 0], [m, -1]), tf.tensor1d(take, 'int32'));
      const keep = tf.tensor2d(mask, [size, 1]);
      this.rows.assign(tf.add(tf.mul(incoming, keep), tf.mul(this.rows, tf.sub(1, keep))));
      this.pointer.assign(tf.scalar((start + m) % size));
    });
  }

  /** Its variables under its prefix (`rows`, or the name given, and `pointer`). */
  stateVariables(): Map<string, tf.Variable> {
    return new Map(this.state);
  }

  dispose(): void {
    disposeParams(this.state);
  }
}
