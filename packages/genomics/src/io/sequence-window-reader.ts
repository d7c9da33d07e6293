/**
 * The streaming reader of a FASTA/FASTQ collection: samples are windows (or whole records, the
 * CLI's `--window read`) read by offset from the base-code files of the collection's index
 * (sequence-index.ts) and one-hot encoded, `[length, 4]` float32 with channels A, C, G, T and
 * N all zeros, the same values the in-memory `WindowDataset` gives. Sample order is the
 * in-memory loader's: records in file order, windows at 0, stride, 2 * stride, ... while a whole
 * window fits; under the `skip-window` policy the windows without N are listed in a table
 * written once by the main thread. Reads are deterministic (no random offsets): the seed of a
 * training draw is not used. Imports `@autodidact/core/reader` only (no tfjs), so a data worker
 * stays small. Node-only.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  DataFormatError,
  FileIndex,
  Runs,
  runOf,
  type SampleArray,
  type SampleLayout,
  type SampleReader,
} from '@autodidact/core/reader';
import type { SequenceFileMeta } from './sequence-index.js';

/** This module's URL: what a `ReaderSpec` names for data workers to load. */
export const SEQUENCE_WINDOW_READER: string = import.meta.url;

/** The JSON config a data worker builds the reader from. */
export interface SequenceWindowConfig {
  /** The collection's index file and its base-code folder. */
  readonly index: string;
  readonly codesDir: string;
  /** Positions (in the index) of the readable files. */
  readonly files: readonly number[];
  /** Bases per sample. */
  readonly length: number;
  /** Bases between window starts (windows only). */
  readonly stride: number;
  /** One sample per record, trimmed or N-padded to `length`. */
  readonly records?: boolean;
  /** The `skip-window` table: float64 pairs (record, start) of the windows without N. */
  readonly windowsFile?: string;
  /** Keep `limit` samples evenly spaced over all of them. */
  readonly limit?: number;
}

/** The record lengths of an indexed file (its `<codes>.rec` table). */
export function recordLengths(codesDir: string, codes: string): Float64Array {
  const b = readFileSync(join(codesDir, `${codes}.rec`));
  return new Float64Array(new Uint8Array(b).buffer);
}

/** Windows of a record of `len` bases: starts 0, stride, ... while a whole window fits. */
export function windowsInRecord(len: number, length: number, stride: number): number {
  return len >= length ? Math.floor((len - length) / stride) + 1 : 0;
}

/** Sample `k` of `limit` evenly spaced over `n` (the in-memory loader's `limit` rule). */
export function evenlySpaced(k: number, n: number, limit: number | undefined): number {
  return limit === undefined || limit >= n ? k : Math.floor((k * n) / limit);
}

/**
 * The records of the readable files of an index, in order, in 8 bytes per record: where each
 * starts if the files' codes were laid end to end (`start`, one more entry than records), and
 * each file's first record; a record's file, offset in its code file and length follow.
 */
export class RecordTable {
  /** Records in all. */
  readonly count: number;
  private constructor(
    readonly start: Float64Array,
    readonly firstRecord: Float64Array,
    /** The code file of each readable file. */
    readonly codes: readonly string[],
  ) {
    this.count = start.length - 1;
  }

  static of(index: FileIndex<SequenceFileMeta>, codesDir: string, files: readonly number[]): RecordTable {
    const lens: Float64Array[] = [];
    const codes: string[] = [];
    for (const f of files) {
      const m = index.meta![f]!;
      if ('bad' in m) throw new ConfigError(`file ${f} of the index is not readable`, { field: 'reader.config.files' });
      lens.push(recordLengths(codesDir, m.codes));
      codes.push(join(codesDir, m.codes));
    }
    const total = lens.reduce((a, l) => a + l.length, 0);
    const start = new Float64Array(total + 1);
    const firstRecord = new Float64Array(files.length + 1);
    let r = 0;
    lens.forEach((l, k) => {
      firstRecord[k] = r;
      for (const len of l) {
        start[r + 1] = start[r]! + len;
        r++;
      }
    });
    firstRecord[files.length] = r;
    return new RecordTable(start, firstRecord, codes);
  }

  /** Bases of record `r`. */
  length(r: number): number {
    return this.start[r + 1]! - this.start[r]!;
  }

  /** The (readable-file) position of the file holding record `r`. */
  fileOf(r: number): number {
    return runOf(this.firstRecord, r);
  }

  /** Where record `r` starts in its file's codes. */
  offset(r: number, file = this.fileOf(r)): number {
    return this.start[r]! - this.start[this.firstRecord[file]!]!;
  }
}

class SequenceWindowReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  private readonly table: RecordTable;
  private readonly index: FileIndex<SequenceFileMeta>;
  /** The windows of each record (windows mode without a table). */
  private readonly windows: Runs | undefined;
  /** (record, start) pairs of the skip-window table. */
  private readonly listed: Float64Array | undefined;
  private readonly total: number;
  private readonly fds = new Map<number, number>();
  private readonly buf: Buffer;

  constructor(private readonly c: SequenceWindowConfig) {
    if (!Number.isInteger(c.length) || c.length < 1 || !Number.isInteger(c.stride) || c.stride < 1) {
      throw new ConfigError(`expected a window and stride >= 1, got ${c.length} and ${c.stride}`, { field: 'window' });
    }
    this.index = FileIndex.load<SequenceFileMeta>(c.index);
    this.table = RecordTable.of(this.index, c.codesDir, c.files);
    const R = this.table.count;
    if (c.records) {
      this.total = R;
    } else if (c.windowsFile) {
      const b = readFileSync(c.windowsFile);
      this.listed = new Float64Array(new Uint8Array(b).buffer);
      this.total = this.listed.length / 2;
    } else {
      this.windows = new Runs(R, (r) => windowsInRecord(this.table.length(r), c.length, c.stride));
      this.total = this.windows.total;
    }
    this.size = c.limit === undefined ? this.total : Math.min(this.total, c.limit);
    this.layout = { shape: [c.length, 4], dtype: 'float32' };
    this.buf = Buffer.alloc(c.length);
  }

  /** Record and first base of sample `k`. */
  private locate(k: number): { record: number; start: number } {
    const i = evenlySpaced(k, this.total, this.c.limit);
    if (this.c.records) return { record: i, start: 0 };
    if (this.listed) return { record: this.listed[2 * i]!, start: this.listed[2 * i + 1]! };
    const { run, offset } = this.windows!.locate(i);
    return { record: run, start: offset * this.c.stride };
  }

  private sourceOf(record: number): string {
    return this.index.absolute(this.c.files[this.table.fileOf(record)]!);
  }

  describe(k: number): string {
    const { record, start } = this.locate(k);
    return `${this.sourceOf(record)} bases ${start}..${start + this.c.length} of its record ${record}`;
  }

  private fdOf(f: number): number {
    let fd = this.fds.get(f);
    if (fd === undefined) {
      const path = this.table.codes[f]!;
      fd = openSync(path, 'r');
      const m = this.index.meta![this.c.files[f]!] as { bases: number };
      const size = fstatSync(fd).size;
      if (size !== m.bases) {
        closeSync(fd);
        throw new DataFormatError(
          `its indexed bases changed in the cache (${m.bases} then, ${size} now); it is indexed again on the next load`,
          { file: this.index.absolute(this.c.files[f]!), reason: 'truncated' },
        );
      }
      this.fds.set(f, fd);
    }
    return fd;
  }

  read(k: number, out: SampleArray): void {
    const { record, start } = this.locate(k);
    const f = this.table.fileOf(record);
    const n = Math.min(this.c.length, this.table.length(record) - start);
    const got = readSync(this.fdOf(f), this.buf, 0, n, this.table.offset(record, f) + start);
    if (got !== n) {
      throw new DataFormatError(`record ${record}: its bases are cut short in the cache (${got} of ${n})`, {
        file: this.sourceOf(record),
        reason: 'truncated',
      });
    }
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const code = this.buf[i]!;
      if (code < 4) out[i * 4 + code] = 1;
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** The factory a data worker calls (see core's `ReaderSpec`). */
export function createSampleReader(config: SequenceWindowConfig): SampleReader {
  if (typeof config?.index !== 'string' || typeof config.codesDir !== 'string' || !Array.isArray(config.files)) {
    throw new ConfigError('expected the index file, the code folder and the readable files', {
      field: 'reader.config',
    });
  }
  return new SequenceWindowReader(config);
}
