/** Reading what a data set of either kind (in memory or streaming) holds, for tests that compare the two. */
import type * as tf from '@tensorflow/tfjs';
import { type AnyDataset, isStreaming, type StreamingDataset } from '../index.js';

/** `ds` as a streaming data set, or throws. */
export function asStreaming<B>(ds: AnyDataset<B>): StreamingDataset<B> {
  if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
  return ds;
}

/**
 * The values of the batch of `indices`, flat; `seed` goes to a streaming set's loader (its
 * random crops or offsets), and is not given to an in-memory one.
 */
export async function batchValues(ds: AnyDataset<tf.Tensor>, indices: number[], seed?: number): Promise<Float32Array> {
  const t = isStreaming(ds)
    ? await ds.loadBatch({ indices, ...(seed === undefined ? {} : { seed }) })
    : ds.getBatch(indices);
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}
