import { type BatchRequest, batchSeed, type StreamingDataset } from '../data/streaming-dataset.js';
import type { DataOrder } from './data-order.js';

/** The request for batch `cursor` of epoch `epoch`: its indices and its augmentation seed. */
export function batchRequest(order: DataOrder, epoch: number, cursor: number): BatchRequest {
  return { indices: order.batchIndices(epoch, cursor), seed: batchSeed(order.seed, epoch, cursor) };
}

/**
 * Loads the batch at (epoch, cursor) from a streaming dataset and announces the next
 * `min(dataset.prefetch, remaining - 1)` batches of the data order, so the workers read them
 * while this step trains. `remaining` counts this step.
 */
export function loadStreamedBatch<B>(
  dataset: StreamingDataset<B>,
  order: DataOrder,
  epoch: number,
  cursor: number,
  remaining: number,
): Promise<B> {
  const upcoming: BatchRequest[] = [];
  let e = epoch;
  let c = cursor;
  for (let k = 1; k < remaining && upcoming.length < dataset.prefetch; k++) {
    c++;
    if (c >= order.stepsPerEpoch) {
      e++;
      c = 0;
    }
    upcoming.push(batchRequest(order, e, c));
  }
  return dataset.loadBatch(batchRequest(order, epoch, cursor), upcoming);
}
