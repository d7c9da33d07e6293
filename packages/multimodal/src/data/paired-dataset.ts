/**
 * Paired examples of two modalities as a {@link Dataset} the Trainer draws from: sample i is
 * row i of modality A's tensor with its partner of modality B (row i of an aligned tensor, or
 * whatever a builder makes for the sample indices, e.g. bags of the descriptions paired with
 * images i). A batch is `{ a, b }`, row j of `a` pairing with row j of `b`; the Trainer
 * disposes both. Addressed by index only, so a resumed run sees the pairs an uninterrupted
 * one would.
 */
import type { Dataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** A batch of pairs: row j of `a` (modality A, e.g. images) pairs with row j of `b` (modality B). */
export interface PairedBatch {
  /** Modality A, `[batch, ...]`. */
  a: tf.Tensor;
  /** Modality B, `[batch, ...]`. */
  b: tf.Tensor;
}

/** Builds modality B's rows for the given sample indices (the caller disposes the result). */
export type PartnerRows = (indices: readonly number[]) => tf.Tensor;

/** Pairs of two modalities addressed by sample index. Disposing it frees `a` (and `b` when aligned). */
export class PairedDataset implements Dataset<PairedBatch> {
  readonly size: number;
  private readonly partner: PartnerRows;
  private readonly owned: tf.Tensor[];

  /**
   * @param a modality A, `[n, ...]`; owned (disposed with the dataset).
   * @param b modality B: an aligned tensor `[n, ...]` (owned likewise) or a builder of the rows for sample indices.
   * @param labels class of each sample (e.g. for a kNN monitor), when labelled.
   */
  constructor(
    readonly a: tf.Tensor,
    b: tf.Tensor | PartnerRows,
    readonly labels?: Int32Array,
    readonly source?: string,
  ) {
    this.size = a.shape[0]!;
    if (b instanceof tf.Tensor) {
      this.partner = (indices) => gatherRows(b, indices);
      this.owned = [a, b];
    } else {
      this.partner = b;
      this.owned = [a];
    }
  }

  getBatch(indices: readonly number[]): PairedBatch {
    return { a: gatherRows(this.a, indices), b: this.partner(indices) };
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}

function gatherRows(x: tf.Tensor, indices: readonly number[]): tf.Tensor {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(indices as number[], 'int32')));
}
