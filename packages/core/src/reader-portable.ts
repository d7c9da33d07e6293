/**
 * `@autodidact/core/reader` under the `browser` condition: the part of the reader entry that
 * runs anywhere, without tfjs or Node built-ins: the reader contract's types, the typed errors,
 * the seeded generator and `instantiateReader` (a reader built from a spec, as a reader made of
 * other readers needs). The Node entry (`reader.ts`) adds the data-file checks, the on-disk
 * file index and the cache folder.
 */
export { type BadFileReason, ConfigError, DataFormatError } from './errors.js';
export { Runs, runOf } from './data/run-of.js';
export { Rng } from './random/rng.js';
export { instantiateReader } from './data/sample-reader.js';
export type {
  JsonValue,
  ReaderSpec,
  SampleArray,
  SampleDType,
  SampleLayout,
  SampleReader,
  SampleReaderFactory,
} from './data/sample-reader.js';
