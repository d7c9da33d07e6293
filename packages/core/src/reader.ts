/**
 * `@autodidact/core/reader`: what a SampleReader module needs, without tfjs, so a data worker
 * that imports it stays small: the reader contract's types, the typed errors, the checks of a
 * data file before reading it, the on-disk file index, the per-user cache folder, `Runs` and
 * `runOf` (which file holds a sample), the seeded generator for augmentations done while reading and
 * `instantiateReader` (for a reader made of other readers). Node-only
 * (the file index); a browser bundle gets `reader-portable.ts` (types, errors, generator,
 * `Runs`, `runOf`) under the `browser` condition.
 */
export {
  type BadFileReason,
  ConfigError,
  DataFormatError,
  instantiateReader,
  type JsonValue,
  type ReaderSpec,
  Rng,
  Runs,
  runOf,
  type SampleArray,
  type SampleDType,
  type SampleLayout,
  type SampleReader,
  type SampleReaderFactory,
} from './reader-portable.js';
export { checkDataFile, openDataFile, unreadableFileError } from './io/walk-files.js';
export { cacheDirFor, cacheRoot, ensurePrivateDir } from './data/node/cache-dir.js';
export {
  FileIndex,
  type FileIndexOptions,
  type FileIndexReport,
  fingerprintFile,
  listFiles,
  openFileIndex,
  type StalePolicy,
} from './data/node/file-index.js';
