import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { type AnyDataset, type BatchRequest, isStreaming, type StreamingDataset } from '../data/streaming-dataset.js';
import { ConfigError, ShapeError } from '../errors.js';

/**
 * Embeddings of every sample of `dataset`, in order, `[size, dim]`: batches of `batchSize`
 * indices are materialised, embedded inside tf.tidy and freed, so memory holds one batch
 * (plus the batches a streaming dataset reads ahead) and the result. An in-memory dataset is
 * embedded synchronously; a streaming one returns a promise, its workers reading the next
 * batches while this one is embedded. Samples are read deterministically (no training-time
 * crops). The caller owns the returned tensor.
 * @param embed frozen embedding function, e.g. `(b) => method.embed(b)` or `(b) => encoder.apply(b, false)`
 */
export function embedDataset<B>(embed: (batch: B) => tf.Tensor2D, dataset: Dataset<B>, batchSize?: number): tf.Tensor2D;
export function embedDataset<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: StreamingDataset<B>,
  batchSize?: number,
): Promise<tf.Tensor2D>;
export function embedDataset<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: AnyDataset<B>,
  batchSize?: number,
): tf.Tensor2D | Promise<tf.Tensor2D>;
export function embedDataset<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: AnyDataset<B>,
  batchSize = 256,
): tf.Tensor2D | Promise<tf.Tensor2D> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`expected an integer >= 1, got ${batchSize}`, { field: 'batchSize' });
  }
  if (dataset.size === 0) throw new ConfigError(`no samples to embed${dataset.source ? ` in ${dataset.source}` : ''}`);
  const requests: BatchRequest[] = [];
  for (let start = 0; start < dataset.size; start += batchSize) {
    requests.push({ indices: Array.from({ length: Math.min(batchSize, dataset.size - start) }, (_, i) => start + i) });
  }
  if (isStreaming(dataset)) return embedStreaming(embed, dataset, requests);
  const parts: tf.Tensor2D[] = [];
  try {
    for (const { indices } of requests) embedInto(parts, embed, dataset.getBatch(indices), indices.length);
    return joinParts(parts);
  } finally {
    tf.dispose(parts);
  }
}

async function embedStreaming<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: StreamingDataset<B>,
  requests: BatchRequest[],
): Promise<tf.Tensor2D> {
  const parts: tf.Tensor2D[] = [];
  try {
    for (const [k, request] of requests.entries()) {
      const batch = await dataset.loadBatch(request, requests.slice(k + 1, k + 1 + dataset.prefetch));
      embedInto(parts, embed, batch, request.indices.length);
    }
    return joinParts(parts);
  } finally {
    tf.dispose(parts);
  }
}

/** Embeds one batch into `parts` (checking its shape) and frees the batch. */
function embedInto<B>(parts: tf.Tensor2D[], embed: (batch: B) => tf.Tensor2D, batch: B, n: number): void {
  try {
    const z = tf.tidy(() => embed(batch));
    parts.push(z);
    if (z.rank !== 2 || z.shape[0] !== n || (parts.length > 1 && z.shape[1] !== parts[0]!.shape[1])) {
      throw new ShapeError(`embed returned [${z.shape}] for a batch of ${n}; expected [batch, dim]`);
    }
  } finally {
    tf.dispose(batch as unknown as tf.TensorContainer);
  }
}

function joinParts(parts: tf.Tensor2D[]): tf.Tensor2D {
  return parts.length === 1 ? parts[0]!.clone() : tf.concat2d(parts, 0);
}
