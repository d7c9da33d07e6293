import type * as tf from '@tensorflow/tfjs';

/**
 * A finite, indexable set of samples. The trainer draws index batches from a seeded
 * permutation (so the data position is part of a checkpoint) and asks the dataset to
 * materialise each batch. Datasets of any modality implement this; core never looks
 * inside a batch.
 */
export interface Dataset<B = tf.Tensor> {
  /** Number of samples. */
  readonly size: number;
  /** Build the batch for these sample indices. The caller owns (and disposes) the result. */
  getBatch(indices: readonly number[]): B;
  /** Integer class label per sample, when the set is labelled. */
  readonly labels?: Int32Array;
  /** Class names, index-aligned with label values. */
  readonly classNames?: readonly string[];
  /** Where the data came from (file or folder), for messages. */
  readonly source?: string;
  /** Shape of one sample without the batch axis, when samples share one (images, fixed windows). */
  readonly sampleShape?: readonly number[];
  /** Free any tensors the dataset holds. */
  dispose?(): void;
}

/** A dataset whose samples are rows of one in-memory tensor `[n, ...sampleShape]`. */
export class TensorDataset implements Dataset<tf.Tensor> {
  readonly size: number;
  readonly sampleShape: readonly number[];
  constructor(
    readonly inputs: tf.Tensor,
    readonly labels?: Int32Array,
    readonly classNames?: readonly string[],
    readonly source?: string,
  ) {
    this.size = inputs.shape[0]!;
    this.sampleShape = inputs.shape.slice(1);
  }

  getBatch(indices: readonly number[]): tf.Tensor {
    return gatherRows(this.inputs, indices);
  }

  /** A dataset over the first `n` samples (views the same tensor; dispose the parent only). */
  slice(start: number, end: number): TensorDataset {
    const n = end - start;
    const x = this.inputs.slice(start, n);
    return new TensorDataset(x, this.labels?.slice(start, end), this.classNames, this.source);
  }

  dispose(): void {
    this.inputs.dispose();
  }
}

// Imported lazily so this file stays type-only for consumers that never build batches.
import { gather, tensor1d, tidy } from '@tensorflow/tfjs';
function gatherRows(x: tf.Tensor, indices: readonly number[]): tf.Tensor {
  return tidy(() => gather(x, tensor1d(indices as number[], 'int32')));
}
