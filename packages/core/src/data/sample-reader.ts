import { ConfigError } from '../errors.js';

/**
 * The contract a modality implements to stream its data: a `SampleReader` reads sample `i` of
 * an on-disk index into a typed array of one fixed shape. Readers run inside data workers
 * (`node:worker_threads` in Node, later Web Workers in a browser), so a worker must be able to
 * build one from plain data: a {@link ReaderSpec} names an ES module and a JSON config, and the
 * module's factory (`createSampleReader` unless named otherwise) turns the config into a reader.
 *
 * This file holds only types and the portable factory call; readers that touch the file system
 * are Node-only and live in their package's `io/` (core's reference reader:
 * `data/node/float32-files-reader.ts`).
 */

/** Element type of a sample, as tfjs names it. */
export type SampleDType = 'float32' | 'int32';

/** A sample's values, row-major, `prod(shape)` long. */
export type SampleArray = Float32Array | Int32Array;

/** Shape (without the batch axis) and element type shared by every sample of a source. */
export interface SampleLayout {
  readonly shape: readonly number[];
  readonly dtype: SampleDType;
}

/** A JSON value: what crosses to a worker as a reader's config. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * Reads samples by index. One reader lives in each data worker; it may keep files open.
 *
 * - `read` must write every element of `out` or throw. Throw a `DataFormatError` naming the file
 *   (`new DataFormatError('truncated record', { file })`) for a bad sample; any other error is
 *   reported as `describe(index): message`.
 * - `seed` is given for a training draw and absent for evaluation: random crops and
 *   augmentations done here draw from it (a fresh generator per call, e.g. `new Rng(seed)`),
 *   and without it the reader returns its deterministic view (a centre crop, the whole window).
 *   The seed depends only on the run's seed and the sample's position in the data order, so
 *   a resumed run reads the same values.
 * - A reader must be deterministic: the same `(index, seed)` gives the same values. Exact
 *   resume and the skip rule (a bad sample is replaced by the next good index) rely on it.
 */
export interface SampleReader {
  /** Number of samples, indices `0 .. size - 1`. */
  readonly size: number;
  /** Shape and dtype of every sample. */
  readonly layout: SampleLayout;
  /** Fills `out` (`prod(layout.shape)` long) with sample `index`. */
  read(index: number, out: SampleArray, seed?: number): void | Promise<void>;
  /**
   * How many `read` calls (on distinct slots) the reader serves at once; default 1. A reader
   * whose reads wait on other threads (sharp decodes on libuv's pool) sets more, so a worker
   * keeps several decodes in flight instead of one; results are the same as one at a time.
   */
  readonly concurrency?: number;
  /** Where sample `index` comes from (file, and record or offset), for messages. */
  describe?(index: number): string;
  /** Closes files; called once when the worker shuts down. */
  close?(): void | Promise<void>;
}

/** A reader module's factory: JSON config in, reader out. */
export type SampleReaderFactory<C = JsonValue> = (config: C) => SampleReader | Promise<SampleReader>;

/**
 * How a worker builds a reader: the URL of an ES module (a `file:` URL in Node) and the config
 * its factory gets, which must be plain JSON data (it is copied to each worker). `exportName`
 * defaults to `createSampleReader`.
 */
export interface ReaderSpec<C = JsonValue> {
  readonly module: string;
  readonly exportName?: string;
  readonly config: C;
}

/** Elements per sample: the product of the layout's shape. */
export function sampleLength(layout: SampleLayout): number {
  return layout.shape.reduce((a, b) => a * b, 1);
}

/** A zeroed typed array of `n` samples of `layout`. */
export function allocSamples(layout: SampleLayout, n: number): SampleArray {
  const len = sampleLength(layout) * n;
  return layout.dtype === 'int32' ? new Int32Array(len) : new Float32Array(len);
}

/** Throws a ConfigError unless `layout` is a valid sample layout (positive integer dims, known dtype). */
export function checkLayout(layout: SampleLayout, where: string): void {
  const ok =
    Array.isArray(layout?.shape) &&
    layout.shape.every((d) => Number.isInteger(d) && d >= 1) &&
    (layout.dtype === 'float32' || layout.dtype === 'int32');
  if (!ok) {
    throw new ConfigError(
      `expected a layout { shape: positive integers, dtype: 'float32' | 'int32' }, got ${JSON.stringify(layout)}`,
      { field: where },
    );
  }
}

/** Imports `spec.module` and calls its factory with `spec.config`. Works wherever `import()` does. */
export async function instantiateReader(spec: ReaderSpec<unknown>): Promise<SampleReader> {
  const name = spec.exportName ?? 'createSampleReader';
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const factory = mod[name];
  if (typeof factory !== 'function') {
    throw new ConfigError(`${spec.module} does not export a function '${name}'`, { field: 'reader.module' });
  }
  const reader = (await (factory as SampleReaderFactory<unknown>)(spec.config)) as SampleReader;
  if (!reader || typeof reader.read !== 'function' || !Number.isInteger(reader.size) || reader.size < 0) {
    throw new ConfigError(`${spec.module}: ${name} did not return a SampleReader (size, layout, read)`, {
      field: 'reader.module',
    });
  }
  checkLayout(reader.layout, `${spec.module} layout`);
  return reader;
}
