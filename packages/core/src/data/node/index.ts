export { cacheDirFor, cacheRoot, ensurePrivateDir } from './cache-dir.js';
export {
  FileIndex,
  type FileIndexOptions,
  type FileIndexReport,
  fingerprintFile,
  listFiles,
  openFileIndex,
  type StalePolicy,
} from './file-index.js';
export { type Float32FilesConfig, indexFloat32Files } from './float32-files-reader.js';
export { type OpenDatasetOptions, openDataset } from './open-dataset.js';
export { defaultWorkerCount, WorkerBatchLoader, type WorkerPoolOptions } from './worker-pool.js';
