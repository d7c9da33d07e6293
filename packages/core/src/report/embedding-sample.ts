import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { type AnyDataset, isStreaming } from '../data/streaming-dataset.js';
import { subsetDataset } from '../data/subset.js';
import { embedDataset } from '../eval/embed-dataset.js';
import type { EmbeddingSample } from './plots.js';

/** Options of {@link embeddingSample}. */
export interface EmbeddingSampleOptions {
  /** Samples to embed, evenly spaced. Default 1000. */
  limit?: number;
  /** What the samples are, for the figure. */
  source?: string;
  /** Default 256. */
  batchSize?: number;
}

/**
 * Embeds at most `limit` samples of `dataset`, evenly spaced over it (so a set stored class
 * by class still shows every class), for the 2-D map; keeps labels and class names when the
 * set has them. Tensors are freed before it returns. Synchronous for an in-memory dataset; a
 * promise for a streaming one.
 * @param embed frozen embedding function `[batch, ...] -> [batch, dim]`
 */
export function embeddingSample<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: Dataset<B>,
  options?: EmbeddingSampleOptions,
): EmbeddingSample;
export function embeddingSample<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: AnyDataset<B>,
  options?: EmbeddingSampleOptions,
): EmbeddingSample | Promise<EmbeddingSample>;
export function embeddingSample<B>(
  embed: (batch: B) => tf.Tensor2D,
  dataset: AnyDataset<B>,
  options: EmbeddingSampleOptions = {},
): EmbeddingSample | Promise<EmbeddingSample> {
  const m = Math.min(dataset.size, Math.max(1, Math.floor(options.limit ?? 1000)));
  const picked = Array.from({ length: m }, (_, i) => Math.floor((i * dataset.size) / m));
  const finish = (z: tf.Tensor2D): EmbeddingSample => {
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
  };
  const batchSize = options.batchSize ?? 256;
  const subset = subsetDataset(dataset, picked);
  return isStreaming(subset)
    ? embedDataset(embed, subset, batchSize).then(finish)
    : finish(embedDataset(embed, subset, batchSize));
}
