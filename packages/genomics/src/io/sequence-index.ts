/**
 * An index of a FASTA/FASTQ collection's records, like samtools' `.fai`, kept in the per-user
 * cache (core's file index: one entry per file, checked against the file's size, modification
 * time and content fingerprint when opened, and rebuilt for the files that changed, were added
 * or removed). Each file is read once, through the same parsers and IUPAC policy as the
 * in-memory loader (plain, gzip or xz, any line width), into a base-code file in the cache (one
 * byte per base, records end to end, `<key>.codes`) and a record table (`<key>.rec`: each
 * record's length, float64): the one-time conversion that lets windows be read by offset
 * whatever the input's compression or layout. Memory while indexing is bounded by a line (FASTA
 * bases are written as they are read) or a FASTQ read, never by a record or the collection.
 *
 * A bad file (empty, cut short, not FASTA/FASTQ, unreadable) is a counted skip under the
 * caller's BadFiles policy, recorded in the index so later runs report it too. Node-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BadFileReason,
  type BadFiles,
  cacheDirFor,
  DataFormatError,
  ensurePrivateDir,
  type FileIndex,
  type FileIndexReport,
  openableFiles,
  openFileIndex,
  type StalePolicy,
} from '@autodidact/core';
import type { SequenceReadOptions } from './fasta.js';
import { forEachSequenceChunk } from './load-windows.js';

/** Per-file metadata in the index. */
export type SequenceFileMeta =
  | {
      /** Base-code file name (in the index's `codes/` folder); its record table is `<codes>.rec`. */
      codes: string;
      records: number;
      bases: number;
    }
  | { bad: { message: string; reason: BadFileReason } };

/** What {@link indexSequenceFiles} returns. */
export interface SequenceIndex {
  index: FileIndex<SequenceFileMeta>;
  report: FileIndexReport;
  /** The folder of the base-code files. */
  codesDir: string;
  /** Indexed files that are readable (index positions), in order. */
  good: number[];
}

/** Options of {@link indexSequenceFiles}. */
export interface SequenceIndexOptions extends SequenceReadOptions {
  badFiles?: BadFiles;
  say?: (line: string) => void;
  stale?: StalePolicy;
}

/** Bases buffered before a write. */
const WRITE_BYTES = 1 << 20;

/** Converts one file into `<dir>/<name>.codes` and `.rec`; returns its metadata. */
async function convert(path: string, dir: string, o: SequenceReadOptions): Promise<SequenceFileMeta> {
  const name = createHash('sha256')
    .update(`${path}\n${randomBytes(8).toString('hex')}`)
    .digest('hex')
    .slice(0, 24);
  const codesPath = join(dir, `${name}.codes`);
  const tmp = `${codesPath}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  const lengths: number[] = [];
  let bases = 0;
  const buf = Buffer.alloc(WRITE_BYTES);
  let held = 0;
  const flush = () => {
    if (held) writeSync(fd, buf, 0, held);
    held = 0;
  };
  try {
    let record = 0;
    await forEachSequenceChunk(path, o, {
      onBases: (codes) => {
        record += codes.length;
        for (let at = 0; at < codes.length; ) {
          const n = Math.min(codes.length - at, WRITE_BYTES - held);
          buf.set(codes.subarray(at, at + n), held);
          held += n;
          at += n;
          if (held === WRITE_BYTES) flush();
        }
      },
      onRecordEnd: () => {
        lengths.push(record);
        bases += record;
        record = 0;
      },
    });
    flush();
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    if (err instanceof DataFormatError) {
      return { bad: { message: err.detail, reason: err.reason ?? 'corrupt' } };
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, codesPath);
  const rec = Float64Array.from(lengths);
  const recFd = openSync(`${codesPath}.rec`, 'w', 0o600);
  writeSync(recFd, new Uint8Array(rec.buffer));
  closeSync(recFd);
  return { codes: `${name}.codes`, records: lengths.length, bases };
}

/**
 * Indexes the sequence files `files` of the collection at `root` (building or refreshing the
 * cached index; changed files are read again). Bad files are skipped and counted in
 * `options.badFiles` (or thrown without one).
 */
export async function indexSequenceFiles(
  root: string,
  files: readonly string[],
  options: SequenceIndexOptions = {},
): Promise<SequenceIndex> {
  const dir = await ensurePrivateDir(cacheDirFor('index/sequence-records', root));
  const codesDir = await ensurePrivateDir(join(dir, 'codes'));
  const bad = options.badFiles;
  const skip = (err: DataFormatError) => {
    if (!bad) throw err;
    bad.skip(err);
  };
  // Files that cannot be opened or are empty never reach the index (it reads every file's head).
  const listed = openableFiles(files, bad);
  let converted = 0;
  const started = Date.now();
  const { index, report } = await openFileIndex<SequenceFileMeta>({
    root,
    kind: 'sequence-records',
    params: { version: 1, iupac: options.iupac ?? 'as-N', seed: options.seed ?? 0, allowEmpty: !!options.allowEmpty },
    list: async () => listed,
    describe: async (path) => {
      if (++converted % 100 === 0 && Date.now() - started > 10_000)
        options.say?.(`indexing sequence files: ${converted} of ${listed.length}`);
      return convert(path, codesDir, options);
    },
    cacheDir: join(dir, 'index'),
    stale: options.stale,
    say: (line) => (line.startsWith('indexed ') ? undefined : options.say?.(line)),
  });
  const good: number[] = [];
  const keep = new Set<string>();
  for (let i = 0; i < index.length; i++) {
    const m = index.meta![i]!;
    bad?.consider();
    if ('bad' in m) {
      skip(new DataFormatError(m.bad.message, { file: index.absolute(i), reason: m.bad.reason }));
      continue;
    }
    const size = statSync(join(codesDir, m.codes), { throwIfNoEntry: false })?.size;
    if (size !== m.bases || !existsSync(join(codesDir, `${m.codes}.rec`))) {
      // The cache lost or cut a file: index again from scratch (the next open converts every file).
      rmSync(join(dir, 'index'), { recursive: true, force: true });
      return indexSequenceFiles(root, files, options);
    }
    keep.add(m.codes);
    keep.add(`${m.codes}.rec`);
    good.push(i);
  }
  // Conversions of earlier versions of the files are not kept.
  if (options.stale !== 'skip') {
    for (const name of readdirSync(codesDir)) if (!keep.has(name)) rmSync(join(codesDir, name), { force: true });
  }
  return { index, report, codesDir, good };
}
