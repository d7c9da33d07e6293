/**
 * Core's reference streaming reader: a folder of raw little-endian float32 files (`*.f32`),
 * each a sequence of records of one shape; sample i is the i-th record over the files in path
 * order. Small enough to read as an example of the SampleReader contract, real enough for the
 * streaming tests and `npm run bench:data`, and useful for arrays exported from elsewhere
 * (`numpy_array.astype('<f4').tofile('x.f32')`). Node-only.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError, DataFormatError } from '../../errors.js';
import { Runs } from '../run-of.js';
import type { ReaderSpec, SampleArray, SampleLayout, SampleReader } from '../sample-reader.js';
import { FileIndex, type FileIndexReport, listFiles, openFileIndex, type StalePolicy } from './file-index.js';

/** The JSON config a worker builds the reader from. */
export interface Float32FilesConfig {
  /** The index file written by {@link indexFloat32Files}. */
  readonly index: string;
  /** Shape of one record, e.g. `[28, 28, 1]`. */
  readonly recordShape: readonly number[];
  /** Treat a record holding NaN or Inf as unreadable. Default true. */
  readonly rejectNonFinite?: boolean;
}

/** Per-file metadata in the index: how many records the file holds (the last may be partial). */
type Meta = { records: number };

/** Elements per record. */
function recordLength(shape: readonly number[]): number {
  if (!Array.isArray(shape) || !shape.length || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ConfigError(`expected positive integers, got ${JSON.stringify(shape)}`, { field: 'recordShape' });
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Indexes the `*.f32` files under `root` (building or refreshing the cached index) and returns
 * the spec a worker builds the reader from, the sample count and what the index check found.
 */
export async function indexFloat32Files(
  root: string,
  recordShape: readonly number[],
  options: { stale?: StalePolicy; cacheDir?: string; say?: (line: string) => void; rejectNonFinite?: boolean } = {},
): Promise<{ spec: ReaderSpec<Float32FilesConfig>; size: number; layout: SampleLayout; report: FileIndexReport }> {
  const bytes = 4 * recordLength(recordShape);
  const { index, report } = await openFileIndex<Meta>({
    root,
    kind: 'float32-files',
    params: { recordShape: [...recordShape] },
    list: () => listFiles(root, (p) => p.endsWith('.f32')),
    describe: (_path, size) => ({ records: Math.ceil(size / bytes) }),
    stale: options.stale,
    cacheDir: options.cacheDir,
    say: options.say,
  });
  const size = index.meta!.reduce((a, m) => a + m.records, 0);
  return {
    spec: {
      module: import.meta.url,
      config: {
        index: index.file,
        recordShape: [...recordShape],
        ...(options.rejectNonFinite === false ? { rejectNonFinite: false } : {}),
      },
    },
    size,
    layout: { shape: [...recordShape], dtype: 'float32' },
    report,
  };
}

/** Files a reader keeps open at once (least recently used closed first). */
const OPEN_FILES = 32;

/** Reads records by sample index; keeps recently used files open. */
class Float32FilesReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  private readonly files: Runs; // the records of each file
  private readonly bytes: number;
  private readonly open = new Map<number, number>(); // file -> fd, least recently used first
  private readonly buf: Buffer;

  constructor(
    private readonly index: FileIndex<Meta>,
    recordShape: readonly number[],
    private readonly rejectNonFinite: boolean,
  ) {
    this.bytes = 4 * recordLength(recordShape);
    this.layout = { shape: [...recordShape], dtype: 'float32' };
    this.files = new Runs(index.length, (f) => index.meta![f]!.records);
    this.size = this.files.total;
    this.buf = Buffer.alloc(this.bytes);
  }

  describe(i: number): string {
    const { run: file, offset: record } = this.files.locate(i);
    return `${this.index.absolute(file)} record ${record}`;
  }

  private fdOf(file: number): number {
    const cached = this.open.get(file);
    if (cached !== undefined) {
      this.open.delete(file);
      // fstat on every read (a cheap call), so a file changed during the run is caught.
      this.checkUnchanged(file, cached);
      this.open.set(file, cached);
      return cached;
    }
    if (this.open.size >= OPEN_FILES) {
      const [oldest, fd] = this.open.entries().next().value as [number, number];
      this.open.delete(oldest);
      closeSync(fd);
    }
    const path = this.index.absolute(file);
    const fd = openSync(path, 'r');
    this.checkUnchanged(file, fd);
    this.open.set(file, fd);
    return fd;
  }

  /** Throws (after closing `fd`) the index's error when the file's size or time differs from when it was indexed. */
  private checkUnchanged(file: number, fd: number): void {
    const s = fstatSync(fd);
    const changed = this.index.checkStat(file, s.size, s.mtimeMs);
    if (changed) {
      closeSync(fd);
      throw changed;
    }
  }

  read(i: number, out: SampleArray): void {
    const { run: file, offset: record } = this.files.locate(i);
    const fd = this.fdOf(file);
    const got = readSync(fd, this.buf, 0, this.bytes, record * this.bytes);
    const path = this.index.absolute(file);
    if (got !== this.bytes) {
      throw new DataFormatError(`record ${record} is truncated (${got} of ${this.bytes} bytes)`, { file: path });
    }
    const values = new Float32Array(this.buf.buffer, this.buf.byteOffset, this.bytes / 4);
    if (this.rejectNonFinite) {
      for (let k = 0; k < values.length; k++) {
        if (!Number.isFinite(values[k]!)) {
          throw new DataFormatError(`record ${record} holds a non-finite value at element ${k}`, { file: path });
        }
      }
    }
    out.set(values);
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }
}

/** The factory a data worker calls (see `ReaderSpec`). */
export function createSampleReader(config: Float32FilesConfig): SampleReader {
  if (typeof config?.index !== 'string') {
    throw new ConfigError('expected the path of an index file', { field: 'reader.config.index' });
  }
  const index = FileIndex.load<Meta>(config.index);
  if (!index.meta) throw new DataFormatError('index has no record counts', { file: config.index });
  return new Float32FilesReader(index, config.recordShape, config.rejectNonFinite ?? true);
}
