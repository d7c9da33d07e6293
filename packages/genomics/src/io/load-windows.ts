/**
 * From files to window datasets: a FASTA/FASTQ file or a folder of them (searched
 * recursively) becomes fixed-length one-hot windows; a folder with one subfolder per class
 * becomes labelled windows. Sequences are held once, as base codes.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ConfigError, DataFormatError } from '@autodidact/core';
import { encodeBases } from '../encode/base-codes.js';
import { WindowDataset } from '../encode/window-dataset.js';
import { slidingWindows, type WindowOptions, type WindowRef } from '../encode/windows.js';
import { readFasta, type SequenceReadOptions } from './fasta.js';
import { readFastq } from './fastq.js';
import { readLines } from './read-lines.js';

/** File names read as sequences (optionally gzipped). */
export const SEQUENCE_FILE = /\.(fa|fasta|fna|ffn|fas|fq|fastq)(\.gz)?$/i;

/** Options of {@link loadWindows} and {@link loadLabeledWindows}. */
export interface LoadWindowsOptions extends SequenceReadOptions, Partial<WindowOptions> {
  /** Keep at most this many windows, evenly spaced over all of them (so every file and class keeps its share). */
  limit?: number;
}

/** Default window length of the loaders (bases). */
export const DEFAULT_WINDOW_LENGTH = 1024;

/** Sequence files under `path` (the file itself, or a folder searched recursively), sorted. */
export function findSequenceFiles(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    throw new DataFormatError('no such file or folder', { file: path, cause: err });
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(path, name);
    if (statSync(p).isDirectory()) out.push(...findSequenceFiles(p));
    else if (SEQUENCE_FILE.test(name)) out.push(p);
  }
  return out;
}

/** Base codes of every record of a FASTA or FASTQ file (told apart by the first character). */
export async function readSequenceCodes(path: string, options: SequenceReadOptions = {}): Promise<Uint8Array[]> {
  let first = '';
  for await (const line of readLines(path)) {
    if (line.trim() === '') continue;
    first = line[0]!;
    break;
  }
  const out: Uint8Array[] = [];
  const records = first === '@' ? readFastq(path, options) : readFasta(path, options);
  for await (const r of records) out.push(encodeBases(r.sequence));
  return out;
}

/** `limit` indices evenly spaced over `n`. */
function evenly(n: number, limit: number | undefined): number[] | undefined {
  if (limit === undefined || limit >= n) return undefined;
  if (!Number.isInteger(limit) || limit < 1)
    throw new ConfigError(`expected an integer >= 1, got ${limit}`, { field: 'limit' });
  return Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit));
}

function resolveWindow(options: LoadWindowsOptions): WindowOptions {
  const length = options.length ?? DEFAULT_WINDOW_LENGTH;
  return { length, stride: options.stride ?? length, skipN: options.skipN ?? options.iupac === 'skip-window' };
}

/** Labelled or unlabelled windows over a set of files. */
async function windowsOf(
  files: string[],
  labelOf: (file: string) => number,
  options: LoadWindowsOptions,
): Promise<{ sequences: Uint8Array[]; windows: WindowRef[]; labels: number[]; sources: string[] }> {
  const w = resolveWindow(options);
  const sequences: Uint8Array[] = [];
  const sources: string[] = [];
  const labels: number[] = [];
  for (const f of files) {
    for (const codes of await readSequenceCodes(f, options)) {
      sequences.push(codes);
      sources.push(f);
    }
  }
  const windows = slidingWindows(sequences, w);
  for (const win of windows) labels.push(labelOf(sources[win.sequence]!));
  return { sequences, windows, labels, sources };
}

/**
 * Windows of every sequence in a FASTA/FASTQ file or folder. Default: non-overlapping windows
 * of {@link DEFAULT_WINDOW_LENGTH} bases; with `iupac: 'skip-window'` windows with N are dropped.
 */
export async function loadWindows(path: string, options: LoadWindowsOptions = {}): Promise<WindowDataset> {
  const files = findSequenceFiles(path);
  if (files.length === 0)
    throw new DataFormatError('no FASTA/FASTQ files (*.fa, *.fasta, *.fna, *.fq, ... [.gz])', { file: path });
  const { sequences, windows, sources } = await windowsOf(files, () => 0, options);
  const length = resolveWindow(options).length;
  const ds = new WindowDataset(sequences, windows, length, undefined, undefined, path, sources);
  const keep = evenly(ds.size, options.limit);
  return keep ? ds.subset(keep) : ds;
}

/**
 * Labelled windows: `path` holds one subfolder per class (sorted names are the classes), each
 * with FASTA/FASTQ files. Each window's source file is kept (`sequenceSources`), so callers can
 * hold out whole strains or chromosomes.
 */
export async function loadLabeledWindows(path: string, options: LoadWindowsOptions = {}): Promise<WindowDataset> {
  let classes: string[];
  try {
    classes = readdirSync(path)
      .filter((d) => !d.startsWith('.') && statSync(join(path, d)).isDirectory())
      .sort();
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
  const files: string[] = [];
  const classOfFile = new Map<string, number>();
  classes.forEach((c, i) => {
    const fs = findSequenceFiles(join(path, c));
    if (fs.length === 0)
      throw new DataFormatError(`class folder '${c}' has no FASTA/FASTQ files`, { file: join(path, c) });
    for (const f of fs) {
      files.push(f);
      classOfFile.set(f, i);
    }
  });
  const { sequences, windows, labels, sources } = await windowsOf(files, (f) => classOfFile.get(f)!, options);
  const length = resolveWindow(options).length;
  const ds = new WindowDataset(sequences, windows, length, Int32Array.from(labels), classes, path, sources);
  const keep = evenly(ds.size, options.limit);
  return keep ? ds.subset(keep) : ds;
}

/** A short name for a source file relative to the data folder (for messages and tables). */
export function sourceName(root: string, file: string): string {
  return relative(root, file) || basename(file);
}
