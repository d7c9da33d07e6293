import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { embedDataset } from '../eval/embed-dataset.js';
import type { EmbeddingSample } from './plots.js';

/**
 * Embeds at most `limit` samples of `dataset`, evenly spaced over it (so a set stored class
 * by class still shows every class), for the 2-D map; keeps labels and class names when the
 * set has them. Tensors are freed before it returns.
 * @param embed frozen embedding function `[batch, ...] -> [batch, dim]`
 */
export function embeddingSample<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: Dataset<B>,
  options: { limit?: number; source?: string; batchSize?: number } = {},
): EmbeddingSample {
  const m = Math.min(dataset.size, Math.max(1, Math.floor(options.limit ?? 1000)));
  const picked = Array.from({ length: m }, (_, i) => Math.floor((i * dataset.size) / m));
  const subset: Dataset<B> = {
    size: m,
    getBatch: (indices) => dataset.getBatch(indices.map((i) => picked[i]!)),
    ...(dataset.source ? { source: dataset.source } : {}),
  };
  const z = embedDataset(embed, subset, options.batchSize ?? 256);
  const [n, dim] = z.shape;
  const values = z.dataSync().slice();
  z.dispose();
  const labels = dataset.labels ? Int32Array.from(picked, (i) => dataset.labels![i]!) : undefined;
  return {
    values,
    n,
    dim,
    ...(labels ? { labels } : {}),
    ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
    ...(options.source ? { source: options.source } : {}),
  };
}
