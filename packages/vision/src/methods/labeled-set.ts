/**
 * The labelled set a method holds itself (S4L, SupCon). The trainer hands a method only the
 * images of a batch, and core's Dataset/Trainer contracts are not changed for these methods, so a
 * method that needs labels keeps its own set and draws each step's labelled batch from it with
 * the run's generator. The set is data, not state: it is not checkpointed, and a resumed run must
 * be given the same set again. Each method checks the labels it is given (its own rules and
 * messages); the set only stores and draws.
 */
import { readLabeledIdx } from '#labeled-idx';
import type { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

export class LabeledSet {
  private images: tf.Tensor4D | undefined;
  private labelArray: Int32Array | undefined;

  /**
   * The set of `file` (an IDX images file with its labels file beside it; its first `count`
   * images, 0: all), read now; empty when `file` is '' (the set then comes from {@link replace}).
   * `method` names the method in the errors of `#labeled-idx`.
   */
  constructor(file: string, count: number, method: string) {
    if (file) {
      const set = readLabeledIdx(file, count, method);
      this.images = tf.tensor4d(set.pixels, set.shape);
      this.labelArray = set.labels;
    }
  }

  /** The labels of the set, one per image (none before a set is given). */
  get labels(): Int32Array {
    return this.labelArray ?? new Int32Array(0);
  }

  /** Number of labelled images (0 before a set is given). */
  get size(): number {
    return this.labels.length;
  }

  /** Replaces the set with copies of `images` `[m, h, w, c]` and their `labels` (checked by the caller). */
  replace(images: tf.Tensor4D, labels: Int32Array): void {
    this.images?.dispose();
    this.images = images.clone();
    this.labelArray = Int32Array.from(labels);
  }

  /**
   * `n` images `[n, h, w, c]` drawn uniformly with replacement (one `rng.int` each, in order) and
   * their labels. The set must not be empty (the methods refuse a step without one first).
   */
  draw(n: number, rng: Rng): { images: tf.Tensor4D; labels: number[] } {
    const labels = this.labels;
    const idx = Array.from({ length: n }, () => rng.int(labels.length));
    return { images: tf.gather(this.images!, tf.tensor1d(idx, 'int32')), labels: idx.map((i) => labels[i]!) };
  }

  dispose(): void {
    this.images?.dispose();
    this.images = undefined;
  }
}
