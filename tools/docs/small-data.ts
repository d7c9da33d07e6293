/**
 * Small copies of the fetched data sets, for the documentation-commands test: every command of
 * the docs runs on them, so each documented command is checked in seconds rather than hours.
 * Same layout and formats as the fetched sets, fewer samples:
 *
 * - IDX files (MNIST, Fashion-MNIST; raw or gzipped): the first 2,000 items of a training file,
 *   500 of a test file (`t10k` / `test` in the name), images and labels alike;
 * - FASTA (`.fa`, `.fasta`, `.fna`, gzipped or not): the first 200 kB of each file, cut at a line;
 * - FASTQ (`.fq`, `.fastq`): the first 2,000 reads;
 * - text files (`.txt`) over 100 kB: the first 100 kB, cut at a line;
 * - a folder of more than 16 files keeps 16, evenly spread over its sorted names (class folders
 *   keep every class; year-named speeches stay spread over the years);
 * - anything else is copied as it is (a copy, not a link: the copies must be plain files, as a
 *   user's data would be).
 *
 * Only completely fetched sets (with `.complete`) are copied, marker included, so
 * `autodidact data fetch` sees them as present.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Items kept of an IDX training / test file. */
export const IDX_ITEMS = { train: 2000, test: 500 } as const;
/** Files kept per folder. */
export const FILES_PER_FOLDER = 16;
const FASTA_BYTES = 200_000;
const FASTQ_READS = 2000;
const TEXT_BYTES = 100_000;

/** The first `n` items of an IDX file (header: 0, 0, type, ndim, then ndim big-endian sizes). */
export function truncateIdx(data: Buffer, n: number): Buffer {
  const ndim = data[3]!;
  const dims = Array.from({ length: ndim }, (_, i) => data.readUInt32BE(4 + 4 * i));
  const width = ({ 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 } as Record<number, number>)[data[2]!];
  if (!width || dims.length === 0) throw new Error(`not an IDX file (type 0x${data[2]?.toString(16)})`);
  const keep = Math.min(n, dims[0]!);
  const item = dims.slice(1).reduce((a, b) => a * b, 1) * width;
  const header = Buffer.from(data.subarray(0, 4 + 4 * ndim));
  header.writeUInt32BE(keep, 4);
  return Buffer.concat([header, data.subarray(4 + 4 * ndim, 4 + 4 * ndim + keep * item)]);
}

/** The text up to `bytes`, cut after the last full line. */
function headBytes(text: Buffer, bytes: number): Buffer {
  if (text.length <= bytes) return text;
  const cut = text.lastIndexOf(0x0a, bytes);
  return text.subarray(0, cut > 0 ? cut + 1 : bytes);
}

/** The first `lines` lines. */
function headLines(text: Buffer, lines: number): Buffer {
  let at = -1;
  for (let i = 0; i < lines; i++) {
    at = text.indexOf(0x0a, at + 1);
    if (at < 0) return text;
  }
  return text.subarray(0, at + 1);
}

/** The small form of one file's content, or undefined to copy the original. */
function shrink(name: string, read: () => Buffer): Buffer | undefined {
  const gz = name.endsWith('.gz');
  const base = gz ? name.slice(0, -3) : name;
  let transform: ((b: Buffer) => Buffer) | undefined;
  if (/-idx\d-ubyte$/.test(base)) {
    const n = /t10k|test/.test(base) ? IDX_ITEMS.test : IDX_ITEMS.train;
    transform = (b) => truncateIdx(b, n);
  } else if (/\.(fa|fasta|fna)$/i.test(base)) transform = (b) => headBytes(b, FASTA_BYTES);
  else if (/\.(fq|fastq)$/i.test(base)) transform = (b) => headLines(b, 4 * FASTQ_READS);
  else if (/\.txt$/i.test(base)) transform = (b) => headBytes(b, TEXT_BYTES);
  if (!transform) return undefined;
  const raw = gz ? gunzipSync(read()) : read();
  const small = transform(raw);
  if (small.length === raw.length && !gz) return undefined; // already small: copy it as it is
  return gz ? gzipSync(small) : small;
}

/** `count` indices spread evenly over `0..n-1`. */
function spread(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

function copyFolder(from: string, to: string, stats: { files: number }): void {
  mkdirSync(to, { recursive: true });
  const entries = readdirSync(from).sort();
  const files = entries.filter((e) => statSync(join(from, e)).isFile());
  const keep = new Set(spread(files.length, FILES_PER_FOLDER).map((i) => files[i]!));
  for (const e of entries) {
    const src = join(from, e);
    if (statSync(src).isDirectory()) {
      copyFolder(src, join(to, e), stats);
      continue;
    }
    if (!keep.has(e) && e !== '.complete') continue;
    const small = shrink(e, () => readFileSync(src));
    if (small) writeFileSync(join(to, e), small);
    else copyFileSync(src, join(to, e));
    stats.files++;
  }
}

/** Copies every fetched set of `from` into `to` in small form; returns what it copied. */
export function buildSmallData(from: string, to: string, sets: readonly string[]): { sets: string[]; files: number } {
  const stats = { files: 0 };
  const copied: string[] = [];
  for (const set of sets) {
    if (!existsSync(join(from, set, '.complete'))) continue;
    copyFolder(join(from, set), join(to, set), stats);
    copied.push(set);
  }
  return { sets: copied, ...stats };
}
