/**
 * The one policy every loader applies to bad files in a folder: skip the file with a one-line
 * warning naming it and why, count it, and end the load with one summary line
 * (`skipped 3 of 1,204 files (2 empty, 1 truncated)`); or, with `strict` (the CLI's `--strict`),
 * stop at the first bad file with its one-line error. A load in which every file was bad fails
 * whatever the policy, since there is nothing left to train on.
 */
import { type BadFileReason, DataFormatError } from '../errors.js';

/** Options of {@link BadFiles}. */
export interface BadFileOptions {
  /** Stop at the first bad file (throw its DataFormatError) instead of skipping it. Default false. */
  strict?: boolean;
  /** Receives each warning and the summary, one line each without a prefix. Default: nothing is written. */
  log?: (line: string) => void;
  /** What the counted things are called in the summary. Default `files`. */
  unit?: string;
}

/** A file left out, and why. */
export interface SkippedFile {
  file: string;
  reason: BadFileReason;
  /** The problem, without the file name (`truncated: the data chunk declares ...`). */
  message: string;
}

const REASON_ORDER: readonly BadFileReason[] = ['empty', 'truncated', 'wrong format', 'unreadable', 'corrupt'];

/** `1204` -> `1,204`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Counts the files of one load and decides, per bad file, to skip it or to stop. */
export class BadFiles {
  readonly strict: boolean;
  readonly unit: string;
  private readonly log?: (line: string) => void;
  private readonly list: SkippedFile[] = [];
  private considered = 0;

  constructor(options: BadFileOptions = {}) {
    this.strict = options.strict ?? false;
    this.unit = options.unit ?? 'files';
    this.log = options.log;
  }

  /** Files the load looked at so far (good and bad). */
  get total(): number {
    return this.considered;
  }

  /** The files skipped so far. */
  get skipped(): readonly SkippedFile[] {
    return this.list;
  }

  /** Counts `n` files the load reads (call once per file, before or after reading it). */
  consider(n = 1): void {
    this.considered += n;
  }

  /**
   * A bad file. With `strict` this throws `error` (a DataFormatError naming the file); otherwise it
   * writes one warning line and counts the file as skipped. Call `consider` for it as for any file.
   */
  skip(error: DataFormatError): void {
    if (this.strict) throw error;
    const file = error.file ?? '(unknown file)';
    const reason = error.reason ?? 'corrupt';
    const message = error.detail;
    this.list.push({ file, reason, message });
    this.log?.(`skipped ${file}: ${message}`);
  }

  /**
   * Runs `read` for one file and returns its result; a DataFormatError from it is a bad file
   * (see `skip`) and gives `undefined`. Other errors propagate.
   */
  async attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
    this.consider();
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      this.skip(err);
      return undefined;
    }
  }

  /** `skipped 3 of 1,204 files (2 empty, 1 truncated)`; undefined when nothing was skipped. */
  summary(): string | undefined {
    if (this.list.length === 0) return undefined;
    const by = new Map<BadFileReason, number>();
    for (const s of this.list) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
    const parts = REASON_ORDER.filter((r) => by.has(r)).map((r) => `${count(by.get(r)!)} ${r}`);
    return `skipped ${count(this.list.length)} of ${count(Math.max(this.considered, this.list.length))} ${this.unit} (${parts.join(', ')})`;
  }

  /** Writes the summary line (prefixed by `where`, e.g. the data folder) when anything was skipped. */
  report(where?: string): void {
    const s = this.summary();
    if (s) this.log?.(where ? `${where}: ${s}` : s);
  }

  /**
   * Fails when nothing could be read: every one of the files was bad. With a single file its own
   * error is thrown; else one error naming `root`, the summary and the first problem.
   */
  assertAnyRead(root: string, read: number): void {
    if (read > 0 || this.list.length === 0) return;
    const first = this.list[0]!;
    if (this.list.length === 1) {
      throw new DataFormatError(first.message, { file: first.file, reason: first.reason });
    }
    throw new DataFormatError(
      `none of the ${count(this.list.length)} ${this.unit} could be read (${this.summary()!
        .replace(/^skipped [^(]*\(/, '')
        .replace(/\)$/, '')}); first: ${first.file}: ${first.message}`,
      { file: root },
    );
  }
}
