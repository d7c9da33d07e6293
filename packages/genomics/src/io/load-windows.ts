/**
 * From files to window datasets: a FASTA/FASTQ file or a folder of them (searched recursively,
 * symbolic links followed) becomes fixed-length one-hot windows; a folder with one subfolder
 * per class becomes labelled windows. Sequences are held once, as base codes.
 *
 * Two ways to cut samples:
 * - windows (default): `length` bases every `stride` bases of every record, while a whole
 *   window fits (records shorter than `length` give none);
 * - whole records (`records: true`, the CLI's `--window read`): each record (a FASTQ read) is
 *   one sample of `recordLength` bases (default: the longest record); longer records keep their
 *   first `recordLength` bases (the 3' end is cut, where read quality is lowest), shorter ones
 *   are padded at the 3' end with N (all-zero one-hot, no evidence for any base).
 *
 * When nothing fits, the error says how many records there were, their length range and the
 * window asked for. Bad files in a folder follow core's one policy (`BadFiles`): skipped with a
 * warning and counted, or a stop with `strict`.
 */
import { basename, join, relative } from 'node:path';
import {
  BadFiles,
  ConfigError,
  DataFormatError,
  FolderWalker,
  noFilesError,
  readDirEntries,
  walkFiles,
} from '@autodidact/core';
import { encodeBases, N_CODE } from '../encode/base-codes.js';
import { WindowDataset } from '../encode/window-dataset.js';
import { checkWindowOptions, slidingWindows, type WindowOptions, type WindowRef } from '../encode/windows.js';
import { FastaParser, type SequenceReadOptions } from './fasta.js';
import { readFastq } from './fastq.js';
import { streamLineRecords } from './line-records.js';
import { readLines } from './read-lines.js';

/**
 * File names read as sequences: FASTA/FASTQ extensions, optionally compressed. gzip and xz are
 * read; other compressions are listed too so they are reported as bad files, never silently ignored.
 */
export const SEQUENCE_FILE = /\.(fa|fasta|fna|ffn|fas|fq|fastq)(\.(gz|xz|bz2|zst|zip))?$/i;

/** Options of {@link loadWindows} and {@link loadLabeledWindows}. */
export interface LoadWindowsOptions extends SequenceReadOptions, Partial<WindowOptions> {
  /** Keep at most this many windows, evenly spaced over all of them (so every file and class keeps its share). */
  limit?: number;
  /** One sample per record (FASTQ reads) instead of windows; see the file comment for the pad/trim rule. */
  records?: boolean;
  /** With `records`: bases per sample (default: the longest record). */
  recordLength?: number;
  /** Skip unreadable files (counted in the policy) instead of failing on the first. Default false. */
  skipCorrupt?: boolean;
  /** The bad-file policy (overrides `skipCorrupt`). */
  badFiles?: BadFiles;
  /** Notes on folders left out (a symbolic link back into a folder being read). */
  log?: (line: string) => void;
}

/** Default window length of the loaders (bases). */
export const DEFAULT_WINDOW_LENGTH = 1024;

/** Whole records longer than this need an explicit `recordLength` (they are genomes, not reads). */
export const MAX_DEFAULT_RECORD_LENGTH = 4096;

/**
 * Sequence files under `path` (the file itself, or a folder searched recursively), sorted.
 * Unreadable entries under sequence-file names go to `walk.badFiles`, or throw without one.
 */
export function findSequenceFiles(
  path: string,
  walk: { badFiles?: BadFiles; log?: (line: string) => void } = {},
): string[] {
  return walkFiles(path, { accept: (name) => SEQUENCE_FILE.test(name), badFiles: walk.badFiles, log: walk.log });
}

/** The error of a path with no sequence files to read (see core's `noFilesError`). */
export function noSequenceFilesError(path: string, bad: BadFiles): DataFormatError {
  return noFilesError(path, bad, 'no FASTA/FASTQ files (*.fa, *.fasta, *.fna, *.fq, ... [.gz, .xz])');
}

/** Base codes of every record of a FASTA or FASTQ file (told apart by the first character). */
export async function readSequenceCodes(path: string, options: SequenceReadOptions = {}): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  await forEachSequenceCodes(path, options, (codes) => void out.push(codes));
  return out;
}

/**
 * Calls `onRecord` with the base codes of each record of a FASTA or FASTQ file, in order, one
 * record held at a time (told apart by the first character).
 */
export async function forEachSequenceCodes(
  path: string,
  options: SequenceReadOptions,
  onRecord: (codes: Uint8Array) => void,
): Promise<void> {
  let parts: Uint8Array[] = [];
  await forEachSequenceChunk(path, options, {
    onBases: (codes) => void parts.push(codes),
    onRecordEnd: () => {
      const total = parts.reduce((a, p) => a + p.length, 0);
      const codes = parts.length === 1 ? parts[0]! : new Uint8Array(total);
      if (parts.length !== 1) {
        let at = 0;
        for (const p of parts) {
          codes.set(p, at);
          at += p.length;
        }
      }
      parts = [];
      onRecord(codes);
    },
  });
}

/**
 * Streams the base codes of a FASTA or FASTQ file (told apart by the first character): a
 * FASTA record's bases line by line as they are read (`onBases`), so a chromosome is never held
 * whole, and `onRecordEnd` after each record's last bases. Same parsers, checks and IUPAC policy
 * as every other reader; an error (a bad file) may come after some bases were passed on.
 */
export async function forEachSequenceChunk(
  path: string,
  options: SequenceReadOptions,
  on: { onBases: (codes: Uint8Array) => void; onRecordEnd: () => void },
): Promise<void> {
  let first = '';
  for await (const line of readLines(path)) {
    if (line.trim() === '') continue;
    first = line.trim();
    break;
  }
  // Text that is neither a header nor sequence letters (a binary file under a FASTA name, a
  // spreadsheet) is named as such instead of as "sequence data before the first header".
  if (first !== '' && !/^[>@;]/.test(first) && !/^[A-Za-z*.-]+$/.test(first)) {
    throw new DataFormatError(`not FASTA or FASTQ (the first line starts with '${printable(first.slice(0, 12))}')`, {
      file: path,
      reason: 'wrong format',
    });
  }
  if (first.startsWith('@')) {
    for await (const r of readFastq(path, options)) {
      on.onBases(encodeBases(r.sequence));
      on.onRecordEnd();
    }
    return;
  }
  const parser = new FastaParser(path, options, (bases) => on.onBases(encodeBases(bases)));
  for await (const _ of streamLineRecords(path, parser)) on.onRecordEnd();
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/** `limit` indices evenly spaced over `n`. */
export function evenly(n: number, limit: number | undefined): number[] | undefined {
  if (limit === undefined || limit >= n) return undefined;
  if (!Number.isInteger(limit) || limit < 1)
    throw new ConfigError(`expected an integer >= 1, got ${limit}`, { field: 'limit' });
  return Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit));
}

/** The window options of a load, checked, with their defaults. */
export function resolveWindow(options: LoadWindowsOptions): Required<WindowOptions> {
  const length = options.length ?? DEFAULT_WINDOW_LENGTH;
  const w = { length, stride: options.stride ?? length, skipN: options.skipN ?? options.iupac === 'skip-window' };
  checkWindowOptions(w);
  return w;
}

const n = (x: number) => x.toLocaleString('en-US');

/** How many records there are and their shortest and longest length. */
export interface LengthRange {
  count: number;
  min: number;
  max: number;
}

/** The {@link LengthRange} of records of these lengths. */
export function lengthRange(lengths: Iterable<number>): LengthRange {
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const l of lengths) {
    count++;
    min = Math.min(min, l);
    max = Math.max(max, l);
  }
  return { count, min, max };
}

/** Why no sample came out: the records' count and length range beside the window asked for. */
export function nothingFits(
  path: string,
  range: LengthRange,
  w: Required<WindowOptions>,
  withoutN: number,
): DataFormatError {
  const { count, min, max } = range;
  if (count === 0) return new DataFormatError('no sequence records in the readable files', { file: path });
  const records = `${n(count)} record${count === 1 ? '' : 's'} of ${min === max ? n(min) : `${n(min)}-${n(max)}`} bases`;
  if (max >= w.length && w.skipN) {
    return new DataFormatError(
      `no ${n(w.length)}-base windows without N: ${records}; all ${n(withoutN)} windows (window ${n(w.length)}, stride ${n(w.stride)}) hold an ambiguous base (iupac policy 'skip-window')`,
      { file: path },
    );
  }
  return new DataFormatError(
    `no ${n(w.length)}-base windows: ${records}, all shorter than the window (window ${n(w.length)}, stride ${n(w.stride)}); ` +
      `--window ${min} fits every record, --window read makes each record one sample`,
    { file: path },
  );
}

/**
 * Bases per sample when each record is one: `recordLength`, else the longest record (refused
 * above {@link MAX_DEFAULT_RECORD_LENGTH}: those are genomes, not reads).
 */
export function recordSampleLength(path: string, range: LengthRange, recordLength: number | undefined): number {
  const { count, max } = range;
  if (count === 0) throw new DataFormatError('no sequence records in the readable files', { file: path });
  if (recordLength === undefined && max > MAX_DEFAULT_RECORD_LENGTH) {
    throw new ConfigError(
      `records up to ${n(max)} bases are too long to be one sample each by default (at most ${n(MAX_DEFAULT_RECORD_LENGTH)}): ` +
        'give --read-length, or cut them into windows with --window <bases>',
      { field: '--window' },
    );
  }
  const length = recordLength ?? max;
  if (!Number.isInteger(length) || length < 1) {
    throw new ConfigError(`expected an integer >= 1, got ${length}`, { field: 'recordLength' });
  }
  return length;
}

/** Records as equal-length samples: trimmed or N-padded at the 3' end to `length`. */
export function wholeRecords(
  path: string,
  sequences: Uint8Array[],
  recordLength: number | undefined,
): { sequences: Uint8Array[]; windows: WindowRef[]; length: number } {
  const length = recordSampleLength(path, lengthRange(sequences.map((s) => s.length)), recordLength);
  const out = sequences.map((s) => {
    if (s.length === length) return s;
    const fitted = new Uint8Array(length).fill(N_CODE);
    fitted.set(s.subarray(0, length));
    return fitted;
  });
  return { sequences: out, windows: out.map((_, i) => ({ sequence: i, start: 0 })), length };
}

/** Labelled or unlabelled samples over a set of files. */
async function samplesOf(
  root: string,
  files: string[],
  labelOf: (file: string) => number,
  options: LoadWindowsOptions,
  bad: BadFiles,
): Promise<{ sequences: Uint8Array[]; windows: WindowRef[]; labels: number[]; sources: string[]; length: number }> {
  const w = options.records ? undefined : resolveWindow(options);
  let sequences: Uint8Array[] = [];
  const sources: string[] = [];
  let read = 0;
  for (const f of files) {
    const codes = await bad.attempt(() => readSequenceCodes(f, options));
    if (!codes) continue;
    read++;
    for (const c of codes) {
      sequences.push(c);
      sources.push(f);
    }
  }
  bad.assertAnyRead(root, read);
  let windows: WindowRef[];
  let length: number;
  if (w) {
    windows = slidingWindows(sequences, w);
    length = w.length;
    if (windows.length === 0) {
      const all = w.skipN ? slidingWindows(sequences, { ...w, skipN: false }).length : 0;
      throw nothingFits(root, lengthRange(sequences.map((s) => s.length)), w, all);
    }
  } else {
    ({ sequences, windows, length } = wholeRecords(root, sequences, options.recordLength));
  }
  const labels = windows.map((win) => labelOf(sources[win.sequence]!));
  return { sequences, windows, labels, sources, length };
}

/** The bad-file policy of a load: the given one, else strict unless `skipCorrupt`. */
export function policyOf(options: LoadWindowsOptions): BadFiles {
  return options.badFiles ?? new BadFiles({ strict: !options.skipCorrupt, log: options.log });
}

/**
 * Samples of every sequence in a FASTA/FASTQ file or folder. Default: non-overlapping windows
 * of {@link DEFAULT_WINDOW_LENGTH} bases; with `iupac: 'skip-window'` windows with N are dropped;
 * with `records`, one sample per record.
 */
export async function loadWindows(path: string, options: LoadWindowsOptions = {}): Promise<WindowDataset> {
  const bad = policyOf(options);
  const files = findSequenceFiles(path, { badFiles: bad, log: options.log });
  if (files.length === 0) throw noSequenceFilesError(path, bad);
  const { sequences, windows, sources, length } = await samplesOf(path, files, () => 0, options, bad);
  const ds = new WindowDataset(sequences, windows, length, undefined, undefined, path, sources);
  const keep = evenly(ds.size, options.limit);
  return keep ? ds.subset(keep) : ds;
}

/**
 * Labelled samples: `path` holds one subfolder per class (sorted names are the classes), each
 * with FASTA/FASTQ files. Each window's source file is kept (`sequenceSources`), so callers can
 * hold out whole strains or chromosomes.
 */
export async function loadLabeledWindows(path: string, options: LoadWindowsOptions = {}): Promise<WindowDataset> {
  let classes: string[];
  const bad = policyOf(options);
  let classDirs: ReturnType<typeof readDirEntries>;
  try {
    classDirs = readDirEntries(path).filter((e) => e.kind === 'dir');
    classes = classDirs.map((e) => e.name);
  } catch (err) {
    throw new DataFormatError('expected a folder with one subfolder of FASTA files per class', {
      file: path,
      cause: err,
    });
  }
  if (classes.length === 0) {
    throw new DataFormatError('expected a folder with one subfolder of FASTA files per class; found no subfolders', {
      file: path,
    });
  }
  const walker = new FolderWalker({ accept: (name) => SEQUENCE_FILE.test(name), badFiles: bad, log: options.log });
  const rootKey = walker.mark(path);
  const files: string[] = [];
  const classOfFile = new Map<string, number>();
  classDirs.forEach((d, i) => {
    if (!walker.enter(d, [rootKey])) return;
    const fs = walker.files(d.path, [], [rootKey]);
    if (fs.length === 0)
      throw new DataFormatError(`class folder '${d.name}' has no FASTA/FASTQ files`, { file: join(path, d.name) });
    for (const f of fs) {
      files.push(f);
      classOfFile.set(f, i);
    }
  });
  const { sequences, windows, labels, sources, length } = await samplesOf(
    path,
    files,
    (f) => classOfFile.get(f)!,
    options,
    bad,
  );
  const ds = new WindowDataset(sequences, windows, length, Int32Array.from(labels), classes, path, sources);
  const keep = evenly(ds.size, options.limit);
  return keep ? ds.subset(keep) : ds;
}

/** A short name for a source file relative to the data folder (for messages and tables). */
export function sourceName(root: string, file: string): string {
  return relative(root, file) || basename(file);
}
