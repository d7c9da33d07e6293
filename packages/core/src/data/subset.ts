import type { Dataset } from './dataset.js';
import { type AnyDataset, type BatchRequest, isStreaming, type StreamingDataset } from './streaming-dataset.js';

/**
 * The samples `indices` of `dataset` as a dataset of their own (sample k is `indices[k]`),
 * with labels carried over; batches are read from the parent, nothing is copied. Closing or
 * disposing the view leaves the parent open.
 */
export function subsetDataset<B>(dataset: Dataset<B>, indices: readonly number[]): Dataset<B>;
export function subsetDataset<B>(dataset: StreamingDataset<B>, indices: readonly number[]): StreamingDataset<B>;
export function subsetDataset<B>(dataset: AnyDataset<B>, indices: readonly number[]): AnyDataset<B>;
export function subsetDataset<B>(dataset: AnyDataset<B>, indices: readonly number[]): AnyDataset<B> {
  const info = {
    size: indices.length,
    ...(dataset.labels ? { labels: Int32Array.from(indices, (i) => dataset.labels![i]!) } : {}),
    ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
    ...(dataset.source ? { source: dataset.source } : {}),
    ...(dataset.sampleShape ? { sampleShape: dataset.sampleShape } : {}),
  };
  if (isStreaming(dataset)) {
    const map = (r: BatchRequest): BatchRequest => ({ ...r, indices: r.indices.map((i) => indices[i]!) });
    const view: StreamingDataset<B> = {
      ...info,
      streaming: true,
      prefetch: dataset.prefetch,
      get skipped() {
        return dataset.skipped;
      },
      loadBatch: (request, upcoming) => dataset.loadBatch(map(request), upcoming?.map(map)),
      close: () => Promise.resolve(),
      dispose: () => undefined,
    };
    return view;
  }
  return { ...info, getBatch: (idx) => dataset.getBatch(idx.map((i) => indices[i]!)) };
}
