/**
 * A FASTA/FASTQ collection of any size as a dataset: the files are indexed once into the cache
 * (sequence-index.ts; rebuilt for files that change), then the windows are either held in
 * memory as base codes (a `WindowDataset`, one byte per base) or streamed: read by offset and
 * one-hot encoded by data workers (sequence-window-reader.ts) while the model trains. `auto`
 * keeps in memory collections of up to 1 GiB of bases. Both modes give the same samples in the
 * same order, bit for bit. Node-only.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { type AnyDataset, chooseDataMode, type DataMode, openDataset, writeFileAtomic } from '@autodidact/core';
import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';
import { WindowDataset } from '../encode/window-dataset.js';
import { slidingWindows, type WindowRef } from '../encode/windows.js';
import {
  evenly,
  findSequenceFiles,
  lengthRange,
  type LoadWindowsOptions,
  noSequenceFilesError,
  nothingFits,
  policyOf,
  recordSampleLength,
  resolveWindow,
  wholeRecords,
} from './load-windows.js';
import { indexSequenceFiles } from './sequence-index.js';
import {
  RecordTable,
  SEQUENCE_WINDOW_READER,
  type SequenceWindowConfig,
  windowsInRecord,
} from './sequence-window-reader.js';

/** Options of {@link openSequenceWindows}. */
export interface OpenSequenceWindowsOptions extends LoadWindowsOptions {
  /** `auto` (default), `memory` or `stream`. */
  dataMode?: DataMode;
  /** Data worker threads when streaming (default: core's). */
  workers?: number;
}

/** The base codes of `len` bases at `offset` of an open code file. */
function readCodes(fd: number, offset: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let at = 0;
  while (at < len) {
    const got = readSync(fd, out, at, len - at, offset + at);
    if (got === 0) break;
    at += got;
  }
  return out;
}

/** Unlabelled samples of the FASTA/FASTQ files under `path` (see the file comment). */
export async function openSequenceWindows(
  path: string,
  options: OpenSequenceWindowsOptions = {},
): Promise<AnyDataset<tf.Tensor>> {
  const bad = policyOf(options);
  const say = options.log ?? (() => undefined);
  const files = findSequenceFiles(path, { badFiles: bad, log: options.log });
  if (files.length === 0) throw noSequenceFilesError(path, bad);
  const idx = await indexSequenceFiles(path, files, {
    iupac: options.iupac,
    seed: options.seed,
    allowEmpty: options.allowEmpty,
    badFiles: bad,
    say,
  });
  bad.assertAnyRead(path, idx.good.length);
  const table = RecordTable.of(idx.index, idx.codesDir, idx.good);
  const R = table.count;
  const range = lengthRange(
    (function* () {
      for (let r = 0; r < R; r++) yield table.length(r);
    })(),
  );
  let length: number;
  let stride = 1;
  let total: number;
  let windowsFile: string | undefined;
  const w = options.records ? undefined : resolveWindow(options);
  if (w) {
    length = w.length;
    stride = w.stride;
    total = 0;
    for (let r = 0; r < R; r++) total += windowsInRecord(table.length(r), length, stride);
    if (w.skipN && total > 0) {
      // The windows without N, listed once per index version, window and stride.
      const pairs: number[] = [];
      forEachRecord(table, (r, codes) => {
        for (const win of slidingWindows([codes], w)) pairs.push(r, win.start);
      });
      const key = createHash('sha256')
        .update(readFileSync(idx.index.file))
        .update(`${length} ${stride}`)
        .digest('hex')
        .slice(0, 24);
      windowsFile = join(idx.codesDir, '..', `windows-${key}.bin`);
      await writeFileAtomic(windowsFile, new Uint8Array(Float64Array.from(pairs).buffer));
      total = pairs.length / 2;
    }
    if (total === 0) throw nothingFits(path, range, w, w.skipN ? windowsTotal(table, length, stride) : 0);
  } else {
    length = recordSampleLength(path, range, options.recordLength);
    total = R;
  }
  const bases = table.start[R]!;
  const mode = chooseDataMode(options.dataMode ?? 'auto', bases);

  if (mode === 'memory') {
    const sequences: Uint8Array[] = [];
    const sources: string[] = [];
    forEachRecord(table, (r, codes) => {
      sequences.push(codes);
      sources.push(idx.index.absolute(idx.good[table.fileOf(r)]!));
    });
    let seqs = sequences;
    let windows: WindowRef[];
    if (w) windows = slidingWindows(sequences, w);
    else ({ sequences: seqs, windows } = wholeRecords(path, sequences, options.recordLength));
    say(`${windows.length} samples of [${length}x4] from ${bases} bases: in memory`);
    const ds = new WindowDataset(seqs, windows, length, undefined, undefined, path, sources);
    const keep = evenly(ds.size, options.limit);
    return keep ? ds.subset(keep) : ds;
  }
  const config: SequenceWindowConfig = {
    index: idx.index.file,
    codesDir: idx.codesDir,
    files: idx.good,
    length,
    stride,
    ...(options.records ? { records: true } : {}),
    ...(windowsFile ? { windowsFile } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  };
  if (options.limit !== undefined) evenly(total, options.limit); // checks the limit
  return openDataset<tf.Tensor>({
    reader: { module: SEQUENCE_WINDOW_READER, config },
    mode: 'stream',
    workers: options.workers,
    strict: bad.strict,
    source: path,
    say,
    onSkip: (s) => say(`skipped ${s.message}`),
  });
}

/** Windows of every record, N or not. */
function windowsTotal(table: RecordTable, length: number, stride: number): number {
  let t = 0;
  for (let r = 0; r < table.count; r++) t += windowsInRecord(table.length(r), length, stride);
  return t;
}

/** Calls `f` with each record's base codes, in order, one file open at a time. */
function forEachRecord(table: RecordTable, f: (record: number, codes: Uint8Array) => void): void {
  let open = -1;
  let fd = -1;
  try {
    for (let r = 0; r < table.count; r++) {
      const file = table.fileOf(r);
      if (file !== open) {
        if (fd >= 0) closeSync(fd);
        open = file;
        fd = openSync(table.codes[open]!, 'r');
      }
      f(r, readCodes(fd, table.offset(r, file), table.length(r)));
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
