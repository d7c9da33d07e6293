/**
 * A dataset of fixed-length windows over base-code sequences; batches are one-hot
 * `[batch, length, 4]`. Windows are views into the sequences, so a genome is held once.
 */
import type { Dataset } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { oneHot } from './one-hot.js';
import type { WindowRef } from './windows.js';

export class WindowDataset implements Dataset<tf.Tensor> {
  readonly size: number;
  readonly sampleShape: readonly number[];

  constructor(
    /** Base codes of every sequence. */
    readonly sequences: readonly Uint8Array[],
    /** The windows, one per sample. */
    readonly windows: readonly WindowRef[],
    /** Window length in bases. */
    readonly length: number,
    /** Class label of each window, when labelled. */
    readonly labels?: Int32Array,
    readonly classNames?: readonly string[],
    readonly source?: string,
    /** The file each sequence came from (index-aligned with `sequences`), when known. */
    readonly sequenceSources?: readonly string[],
  ) {
    this.size = windows.length;
    this.sampleShape = [length, 4];
  }

  /** Base codes of sample `i`, `[length]` (a view; do not modify). */
  codes(i: number): Uint8Array {
    const w = this.windows[i]!;
    return this.sequences[w.sequence]!.subarray(w.start, w.start + this.length);
  }

  /** The file sample `i` came from, when known. */
  sourceOf(i: number): string | undefined {
    return this.sequenceSources?.[this.windows[i]!.sequence];
  }

  /** One-hot windows `[indices.length, length, 4]`. */
  getBatch(indices: readonly number[]): tf.Tensor {
    return oneHot(indices.map((i) => this.codes(i)));
  }

  /** A dataset of the listed samples (same sequences). */
  subset(indices: readonly number[]): WindowDataset {
    return new WindowDataset(
      this.sequences,
      indices.map((i) => this.windows[i]!),
      this.length,
      this.labels ? Int32Array.from(indices, (i) => this.labels![i]!) : undefined,
      this.classNames,
      this.source,
      this.sequenceSources,
    );
  }
}
