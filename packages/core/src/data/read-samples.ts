import { AutodidactError, type BadFileReason, DataFormatError } from '../errors.js';
import { type SampleArray, type SampleReader, sampleLength } from './sample-reader.js';

/** A sample that could not be read and was replaced. */
export interface SkipRecord {
  /** Index of the unreadable sample. */
  readonly index: number;
  /** One line: the file (or sample) and the problem. */
  readonly message: string;
  /** The file at fault, when the reader named it. */
  readonly file?: string;
  /** The kind of fault, when the reader knew it (skip summaries count by it). */
  readonly reason?: BadFileReason;
}

/** How a batch treats unreadable samples. */
export interface SkipPolicy {
  /** Fail on the first unreadable sample with a one-line DataFormatError. Default false. */
  readonly strict?: boolean;
  /** Give up (DataFormatError) after this many consecutive unreadable indices. Default 64. */
  readonly maxConsecutiveSkips?: number;
}

/** What {@link readSamples} reports besides the values. */
export interface ReadOutcome {
  /** The index actually read for each slot: the requested one, or its replacement. */
  readonly used: Int32Array;
  /** Unreadable samples met while reading (each index once per call). */
  readonly skips: SkipRecord[];
}

export const DEFAULT_MAX_CONSECUTIVE_SKIPS = 64;

/** The one-line description of a failure to read sample `index`. */
export function skipRecordOf(err: unknown, reader: Pick<SampleReader, 'describe'>, index: number): SkipRecord {
  const firstLine = (s: string) => s.split('\n')[0]!.trim();
  if (err instanceof DataFormatError) {
    return { index, message: firstLine(err.message), file: err.file, ...(err.reason ? { reason: err.reason } : {}) };
  }
  const where = reader.describe?.(index) ?? `sample ${index}`;
  const code = (err as { code?: unknown } | undefined)?.code;
  const reason: BadFileReason | undefined = code === 'ENOENT' || code === 'EACCES' ? 'unreadable' : undefined;
  const what =
    code === 'ENOENT'
      ? 'no such file (removed after indexing?)'
      : code === 'EACCES'
        ? 'permission denied'
        : firstLine(err instanceof Error ? err.message : String(err));
  return { index, message: `${where}: ${what}`, ...(reason ? { reason } : {}) };
}

/** A DataFormatError with the record's one-line message (and its file, when named). */
export function dataErrorOf(rec: SkipRecord, cause?: unknown): DataFormatError {
  const prefix = rec.file ? `${rec.file}: ` : '';
  if (prefix && rec.message.startsWith(prefix)) {
    return new DataFormatError(rec.message.slice(prefix.length), { file: rec.file, cause, reason: rec.reason });
  }
  return new DataFormatError(rec.message, { cause, reason: rec.reason });
}

/**
 * Reads `indices` into `out` (slot k at `k * sampleLength`). A sample whose read throws is
 * replaced by the next readable index (wrapping at the end), so a batch keeps its size and,
 * since readers are deterministic, the replacement is the same in every run and after a
 * resume. `known` remembers unreadable indices across calls (a worker keeps one), so a bad
 * file is tried once. Strict: the first failure (in slot order) throws a DataFormatError with
 * the one-line message instead. Errors of autodidact's own kinds other than DataFormatError (a
 * ConfigError from the reader) are never skipped.
 *
 * A reader with `concurrency` > 1 gets that many first reads in flight at once; replacements
 * are then found slot by slot in order, so `used`, `skips` and the values are exactly those of
 * reading one sample after another.
 * @param seeds per-slot seeds for training draws, or undefined for deterministic reads
 */
export async function readSamples(
  reader: SampleReader,
  indices: ArrayLike<number>,
  seeds: ArrayLike<number> | undefined,
  out: SampleArray,
  policy: SkipPolicy = {},
  known: Map<number, SkipRecord> = new Map(),
): Promise<ReadOutcome> {
  const len = sampleLength(reader.layout);
  const n = indices.length;
  if (out.length !== n * len) {
    throw new DataFormatError(`batch buffer holds ${out.length} values, expected ${n} x ${len}`);
  }
  for (let k = 0; k < n; k++) {
    const wanted = indices[k]!;
    if (!(Number.isInteger(wanted) && wanted >= 0 && wanted < reader.size)) {
      throw new DataFormatError(`sample index ${wanted} is outside 0..${reader.size - 1}`);
    }
  }
  const maxSkips = Math.min(policy.maxConsecutiveSkips ?? DEFAULT_MAX_CONSECUTIVE_SKIPS, reader.size);
  const slotOf = (k: number) => out.subarray(k * len, (k + 1) * len);
  /** Reads index `i` into slot `k`: undefined when it worked, the error when it did not. */
  const attempt = async (i: number, k: number): Promise<unknown> => {
    const slot = slotOf(k);
    slot.fill(0);
    try {
      await reader.read(i, slot, seeds ? seeds[k] : undefined);
      return undefined;
    } catch (err) {
      return err ?? new Error('read failed');
    }
  };
  // First reads of the wanted indices, `concurrency` at a time (slot k's outcome in first[k]).
  const first: unknown[] = new Array(n);
  const concurrency = Math.max(1, Math.min(n, Math.floor(reader.concurrency ?? 1)));
  if (concurrency > 1) {
    let next = 0;
    const lane = async () => {
      while (next < n) {
        const k = next++;
        const i = indices[k]!;
        first[k] = known.has(i) ? known.get(i) : await attempt(i, k);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }
  const used = new Int32Array(n);
  const skips: SkipRecord[] = [];
  for (let k = 0; k < n; k++) {
    const wanted = indices[k]!;
    let got = -1;
    let last: SkipRecord | undefined;
    for (let t = 0; t < maxSkips; t++) {
      const i = (wanted + t) % reader.size;
      const bad = known.get(i);
      if (bad) {
        last = bad;
        continue;
      }
      const err = t === 0 && concurrency > 1 ? first[k] : await attempt(i, k);
      if (err === undefined) {
        got = i;
        break;
      }
      if (err instanceof AutodidactError && !(err instanceof DataFormatError)) throw err;
      const rec = skipRecordOf(err, reader, i);
      if (policy.strict) throw dataErrorOf(rec, err);
      known.set(i, rec);
      skips.push(rec);
      last = rec;
    }
    if (got < 0) {
      throw new DataFormatError(
        `no readable sample in ${maxSkips} consecutive indices from ${wanted} (last: ${last?.message ?? 'none'})`,
      );
    }
    used[k] = got;
  }
  return { used, skips };
}
