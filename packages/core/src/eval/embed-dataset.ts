import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { ConfigError, ShapeError } from '../errors.js';

/**
 * Embeddings of every sample of `dataset`, in order, `[size, dim]`: batches of `batchSize`
 * indices are materialised, embedded inside tf.tidy and freed, so memory holds one batch
 * plus the result. The caller owns the returned tensor.
 * @param embed frozen embedding function, e.g. `(b) => method.embed(b)` or `(b) => encoder.apply(b, false)`
 */
export function embedDataset<B>(embed: (batch: B) => tf.Tensor2D, dataset: Dataset<B>, batchSize = 256): tf.Tensor2D {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`expected an integer >= 1, got ${batchSize}`, { field: 'batchSize' });
  }
  if (dataset.size === 0) throw new ConfigError(`no samples to embed${dataset.source ? ` in ${dataset.source}` : ''}`);
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < dataset.size; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, dataset.size - start) }, (_, i) => start + i);
      const batch = dataset.getBatch(indices);
      try {
        const z = tf.tidy(() => embed(batch));
        parts.push(z);
        if (z.rank !== 2 || z.shape[0] !== indices.length || (parts.length > 1 && z.shape[1] !== parts[0]!.shape[1])) {
          throw new ShapeError(`embed returned [${z.shape}] for a batch of ${indices.length}; expected [batch, dim]`);
        }
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
    }
    return parts.length === 1 ? parts[0]!.clone() : tf.concat2d(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
