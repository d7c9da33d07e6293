/**
 * Streams a text corpus line by line without loading files whole: strict UTF-8 decoding
 * (invalid bytes are a DataFormatError naming the file), Unicode NFC normalisation, and lines
 * longer than `maxLineChars` cut into pieces (at whitespace where possible) so one huge line
 * cannot exhaust memory. Folders are walked recursively for `.txt` files (sorted, so runs repeat),
 * following symbolic links (a link back into a folder being read is left out with a note).
 */
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { type BadFiles, ConfigError, DataFormatError, FolderWalker, unreadableFileError } from '@autodidact/core';

/** Options of {@link readCorpusLines}. */
export interface CorpusReaderOptions {
  /** Cut lines longer than this many UTF-16 units. Default 100,000. */
  maxLineChars?: number;
  /** File extensions taken from folders. Default `['.txt']`. */
  extensions?: string[];
}

/**
 * The files a list of files/folders stands for, folders expanded recursively and sorted (names
 * starting with '.' left out). Unreadable entries under a corpus name (a broken link, a link
 * loop, a FIFO) go to `walk.badFiles`, or throw without one.
 */
export async function listCorpusFiles(
  paths: readonly string[],
  extensions: readonly string[] = ['.txt'],
  walk: { badFiles?: BadFiles; log?: (line: string) => void } = {},
): Promise<string[]> {
  const walker = new FolderWalker({
    accept: (name) => extensions.some((e) => name.toLowerCase().endsWith(e)),
    badFiles: walk.badFiles,
    log: walk.log,
  });
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DataFormatError('no such file or folder', { file: p, cause });
      throw unreadableFileError(p, cause);
    }
    if (isDir) walker.files(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * Incremental strict UTF-8 line decoder for one file: `push` a chunk of bytes, get back the NFC
 * lines it completed (without `\n` / `\r\n`); `finish` flushes the last line. `file` names
 * the source in errors.
 */
export class LineDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private carry = '';
  private offset = 0;
  constructor(
    readonly file: string,
    readonly maxLineChars = 100_000,
  ) {}

  push(chunk: Uint8Array): string[] {
    try {
      this.carry += this.decoder.decode(chunk, { stream: true });
    } catch (cause) {
      throw new DataFormatError(
        `invalid UTF-8 within bytes ${this.offset}..${this.offset + chunk.length} (not a UTF-8 text file?)`,
        { file: this.file, cause, reason: 'wrong format' },
      );
    }
    this.offset += chunk.length;
    return this.drain(false);
  }

  finish(): string[] {
    try {
      this.carry += this.decoder.decode();
    } catch (cause) {
      throw new DataFormatError('invalid UTF-8 (truncated sequence at the end)', {
        file: this.file,
        cause,
        reason: 'truncated',
      });
    }
    return this.drain(true);
  }

  private drain(final: boolean): string[] {
    const out: string[] = [];
    const max = this.maxLineChars;
    let nl = this.carry.indexOf('\n');
    while (nl >= 0) {
      out.push(...cut(this.carry.slice(0, nl).replace(/\r$/, ''), max));
      this.carry = this.carry.slice(nl + 1);
      nl = this.carry.indexOf('\n');
    }
    // A line still growing past the limit is cut now (at whitespace if any), not held whole.
    while (this.carry.length > max) {
      const at = splitPoint(this.carry, max);
      out.push(this.carry.slice(0, at).normalize('NFC'));
      this.carry = this.carry.slice(at);
    }
    if (final && this.carry.length > 0) {
      out.push(...cut(this.carry.replace(/\r$/, ''), max));
      this.carry = '';
    }
    return out;
  }
}

/** All lines of a sequence of byte chunks (see {@link LineDecoder}). */
export function decodeLines(chunks: Iterable<Uint8Array>, file: string, maxLineChars = 100_000): string[] {
  const d = new LineDecoder(file, maxLineChars);
  const out: string[] = [];
  for (const c of chunks) out.push(...d.push(c));
  out.push(...d.finish());
  return out;
}

function splitPoint(s: string, max: number): number {
  const ws = s.lastIndexOf(' ', max);
  let at = ws > max / 2 ? ws + 1 : max;
  // Never split a surrogate pair.
  const c = s.charCodeAt(at - 1);
  if (c >= 0xd800 && c <= 0xdbff) at -= 1;
  return Math.max(1, at);
}

function* cut(line: string, max: number): Generator<string> {
  let rest = line;
  while (rest.length > max) {
    const at = splitPoint(rest, max);
    yield rest.slice(0, at).normalize('NFC');
    rest = rest.slice(at);
  }
  yield rest.normalize('NFC');
}

/**
 * Streams the lines of one file in 64 KiB reads (see {@link LineDecoder}); `.gz` and dictd's
 * `.dz` files are gunzipped on the fly.
 */
export async function* readFileLines(file: string, maxLineChars = 100_000): AsyncGenerator<string> {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (cause) {
    throw unreadableFileError(file, cause);
  }
  // A FIFO or device would block the read forever; a folder is no text.
  if (!st.isFile()) {
    throw new DataFormatError(st.isDirectory() ? 'is a folder, not a text file' : 'not a regular file (a FIFO?)', {
      file,
      reason: 'unreadable',
    });
  }
  const d = new LineDecoder(file, maxLineChars);
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const stream = /\.(gz|dz)$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream) yield* d.push(chunk as Uint8Array);
  } catch (cause) {
    if (cause instanceof DataFormatError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) {
      const short = code === 'Z_BUF_ERROR' || /unexpected end/i.test((cause as Error).message);
      throw new DataFormatError(`corrupt gzip stream (${(cause as Error).message})`, {
        file,
        cause,
        reason: short ? 'truncated' : 'corrupt',
      });
    }
    throw unreadableFileError(file, cause);
  } finally {
    stream.destroy();
    raw.destroy();
  }
  yield* d.finish();
}

/**
 * Streams every line of a corpus (files and folders). Throws DataFormatError when the paths
 * hold no files or only empty text.
 */
export async function* readCorpusLines(
  paths: readonly string[],
  options: CorpusReaderOptions = {},
): AsyncGenerator<{ file: string; line: string }> {
  if (paths.length === 0) throw new ConfigError('no corpus files given', { field: 'corpus' });
  const files = await listCorpusFiles(paths, options.extensions);
  if (files.length === 0)
    throw new DataFormatError(`no ${(options.extensions ?? ['.txt']).join('/')} files`, { file: paths.join(', ') });
  let nonEmpty = false;
  for (const file of files) {
    for await (const line of readFileLines(file, options.maxLineChars)) {
      if (line.trim().length > 0) nonEmpty = true;
      yield { file, line };
    }
  }
  if (!nonEmpty) throw new DataFormatError('the corpus holds no text', { file: paths.join(', ') });
}
