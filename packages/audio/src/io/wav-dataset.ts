import { TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** A clip dataset that remembers the file of each sample (for held-out splits by speaker). */
export class WavDataset extends TensorDataset {
  constructor(
    inputs: tf.Tensor2D, // [n, clipSamples]
    /** File of each sample, index-aligned with the rows. */
    readonly files: readonly string[],
    labels: Int32Array | undefined,
    classNames: readonly string[] | undefined,
    source: string,
    /** Unreadable files skipped under `skipCorrupt`. */
    readonly skipped: number,
  ) {
    super(inputs, labels, classNames, source);
  }

  /** A new dataset of the given rows (copies them; dispose both independently). */
  select(indices: readonly number[]): WavDataset {
    const x = tf.tidy(() => tf.gather(this.inputs, tf.tensor1d(indices as number[], 'int32'))) as tf.Tensor2D;
    const labels = this.labels ? Int32Array.from(indices, (i) => this.labels![i]!) : undefined;
    return new WavDataset(
      x,
      indices.map((i) => this.files[i]!),
      labels,
      this.classNames,
      this.source ?? '',
      0,
    );
  }
}
