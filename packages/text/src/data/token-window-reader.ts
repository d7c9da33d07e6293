/**
 * The streaming reader of a tokenised corpus (the nanoGPT way): the corpus's token ids lie in one
 * binary file (uint16 or uint32, little-endian; see token-file.ts), and sample `i` is a window of
 * `contextLength` ids read by offset. Evaluation reads (no seed) tile the stream: window `i`
 * starts at `i * contextLength` (the last one padded), the windows the in-memory loader always
 * cut. A training draw (a seed) shifts the window by a random `0 .. contextLength - 1` tokens
 * (clamped to the stream's end), so over the epochs a model sees every offset, not only the
 * tile boundaries, while the epoch still covers the whole corpus once.
 *
 * `inMemory` reads the whole token file into memory when the reader is built (the in-memory
 * mode: same values, no disk reads per batch). Imports `@autodidact/core/reader` only (no tfjs),
 * so a data worker stays small. Node-only.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import {
  ConfigError,
  DataFormatError,
  Rng,
  type SampleArray,
  type SampleLayout,
  type SampleReader,
} from '@autodidact/core/reader';

/** This module's URL: what a `ReaderSpec` names for data workers to load. */
export const TOKEN_WINDOW_READER: string = import.meta.url;

/** Element type of a token file. */
export type TokenDType = 'uint16' | 'uint32';

/** The JSON config a data worker builds the reader from. */
export interface TokenWindowConfig {
  /** The binary token file. */
  readonly tokens: string;
  readonly dtype: TokenDType;
  /** Ids in the file (its size is `tokens * bytes per id`; anything else is a changed file). */
  readonly count: number;
  /** Ids per window. */
  readonly contextLength: number;
  readonly padId: number;
  /** Use at most this many windows (the first ones). */
  readonly limit?: number;
  /** Read the whole file into memory up front. Default false. */
  readonly inMemory?: boolean;
}

/** Bytes per id. */
export function bytesPerToken(dtype: TokenDType): number {
  return dtype === 'uint16' ? 2 : 4;
}

/**
 * Windows a stream of `count` ids tiles into: whole windows, plus a last partial one holding at
 * least two ids (one id predicts nothing), at most `limit`.
 */
export function windowCount(count: number, contextLength: number, limit?: number): number {
  const n = Math.floor(count / contextLength) + (count % contextLength > 1 ? 1 : 0);
  return limit === undefined ? n : Math.min(n, limit);
}

class TokenWindowReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  private readonly bytes: number;
  /** Ids the windows may use: the stream, or the first `limit` windows of it. */
  private readonly span: number;
  private fd: number | undefined;
  private readonly buf: Buffer;
  private readonly all: Uint16Array | Uint32Array | undefined;

  constructor(private readonly c: TokenWindowConfig) {
    const L = c.contextLength;
    if (!Number.isInteger(L) || L < 2) {
      throw new ConfigError(`expected an integer >= 2, got ${L}`, { field: 'contextLength' });
    }
    this.bytes = bytesPerToken(c.dtype);
    this.size = windowCount(c.count, L, c.limit);
    this.span = Math.min(c.count, this.size * L);
    this.layout = { shape: [L], dtype: 'int32' };
    this.buf = Buffer.alloc(L * this.bytes);
    if (c.inMemory) {
      const data = this.readWhole();
      this.all =
        c.dtype === 'uint16'
          ? new Uint16Array(data.buffer, data.byteOffset, c.count)
          : new Uint32Array(data.buffer, data.byteOffset, c.count);
    }
  }

  private readWhole(): Buffer {
    const data = readFileSync(this.c.tokens);
    if (data.length !== this.c.count * this.bytes) throw this.changed(data.length);
    // An aligned copy: a Buffer from the pool may start at an odd offset.
    return Buffer.from(new Uint8Array(data));
  }

  private changed(size: number): DataFormatError {
    return new DataFormatError(
      `token file changed since it was written (${this.c.count * this.bytes} bytes then, ${size} now); it is rebuilt on the next load`,
      { file: this.c.tokens, reason: 'truncated' },
    );
  }

  /** The open token file, checked against its recorded size on every read (a cheap fstat). */
  private fdOf(): number {
    if (this.fd === undefined) this.fd = openSync(this.c.tokens, 'r');
    const size = fstatSync(this.fd).size;
    if (size !== this.c.count * this.bytes) throw this.changed(size);
    return this.fd;
  }

  /** First id of sample `i`: its tile, shifted by a seeded draw when training. */
  start(i: number, seed?: number): number {
    const L = this.c.contextLength;
    const tile = i * L;
    if (seed === undefined) return tile;
    return Math.max(0, Math.min(tile + new Rng(seed).int(L), this.span - L));
  }

  describe(i: number): string {
    return `${this.c.tokens} window ${i} (ids from ${i * this.c.contextLength})`;
  }

  read(i: number, out: SampleArray, seed?: number): void {
    const L = this.c.contextLength;
    const start = this.start(i, seed);
    const n = Math.min(L, this.span - start);
    if (this.all) {
      for (let k = 0; k < n; k++) out[k] = this.all[start + k]!;
    } else {
      const want = n * this.bytes;
      const got = readSync(this.fdOf(), this.buf, 0, want, start * this.bytes);
      if (got !== want) throw this.changed(fstatSync(this.fdOf()).size);
      if (this.bytes === 2) for (let k = 0; k < n; k++) out[k] = this.buf.readUInt16LE(2 * k);
      else for (let k = 0; k < n; k++) out[k] = this.buf.readUInt32LE(4 * k);
    }
    out.fill(this.c.padId, n, L);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The factory a data worker calls (see core's `ReaderSpec`). */
export function createSampleReader(config: TokenWindowConfig): SampleReader {
  if (typeof config?.tokens !== 'string' || !Number.isInteger(config.count) || config.count < 0) {
    throw new ConfigError('expected the token file and its id count', { field: 'reader.config' });
  }
  return new TokenWindowReader(config);
}
