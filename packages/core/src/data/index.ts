export { ArrayDataset } from './array-dataset.js';
export { chooseDataMode, DATA_MODES, type DataMode, parseDataMode, STREAM_THRESHOLD_BYTES } from './data-mode.js';
export { type Dataset, TensorDataset } from './dataset.js';
export { InlineBatchLoader } from './inline-batch-loader.js';
export { PrefetchQueue, requestKey } from './prefetch-queue.js';
export {
  DEFAULT_MAX_CONSECUTIVE_SKIPS,
  type ReadOutcome,
  readSamples,
  type SkipPolicy,
  type SkipRecord,
} from './read-samples.js';
export {
  type AssembleBatch,
  DEFAULT_PREFETCH,
  ReaderDataset,
  type ReaderDatasetOptions,
  tensorBatch,
} from './reader-dataset.js';
export {
  allocSamples,
  checkLayout,
  instantiateReader,
  type JsonValue,
  type ReaderSpec,
  type SampleArray,
  type SampleDType,
  type SampleLayout,
  type SampleReader,
  type SampleReaderFactory,
  sampleLength,
} from './sample-reader.js';
export {
  type AnyDataset,
  type BatchLoader,
  type BatchRequest,
  batchSeed,
  closeDataset,
  isStreaming,
  type RawBatch,
  readBatch,
  type StreamingDataset,
  slotSeeds,
} from './streaming-dataset.js';
export { subsetDataset } from './subset.js';
