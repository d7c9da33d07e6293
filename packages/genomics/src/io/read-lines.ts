/**
 * Streaming line reader over a file, plain, gzip or xz (decided by the magic bytes, not the file
 * name), through node:readline, so genomes of any size are read with bounded memory. xz is
 * decoded by `xz-decompress` (xz-embedded compiled to WebAssembly, no native code, streaming).
 * Other compressions (bzip2, zstd, zip) are named in a DataFormatError instead of being parsed
 * as text. Node-only: the sequence parsers reach it through the package import `#read-lines`,
 * whose `browser` condition resolves to `read-lines.browser.ts`.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { checkDataFile, DataFormatError, unreadableFileError } from '@autodidact/core';
import xzDecompress from 'xz-decompress';

const { XzReadableStream } = xzDecompress;

/** How a file is compressed, from its first bytes. */
export type Compression = 'none' | 'gzip' | 'xz' | 'bzip2' | 'zstd' | 'zip';

const MAGIC: readonly [Compression, readonly number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
];

/** The compression named by a file's first bytes. */
export function compressionOf(path: string): Compression {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw unreadableFileError(path, err);
  }
  try {
    const head = Buffer.alloc(6);
    const n = readSync(fd, head, 0, 6, 0);
    for (const [kind, magic] of MAGIC) {
      if (n >= magic.length && magic.every((b, i) => head[i] === b)) return kind;
    }
    return 'none';
  } finally {
    closeSync(fd);
  }
}

/** True when the file starts with the gzip magic bytes. */
export function isGzipFile(path: string): boolean {
  return compressionOf(path) === 'gzip';
}

/** xz-embedded's error codes (xz_ret) as bad-file reasons. */
function xzFailure(err: unknown): { text: string; reason: 'truncated' | 'corrupt' | 'wrong format' } {
  const code = Number(/error code (\d+)/.exec((err as Error)?.message ?? '')?.[1]);
  if (code === 8) return { text: 'the xz stream ends early', reason: 'truncated' };
  if (code === 5) return { text: 'not an xz stream', reason: 'wrong format' };
  if (code === 2 || code === 6)
    return { text: 'an xz stream with options this decoder does not support', reason: 'corrupt' };
  return { text: `corrupt xz stream (${(err as Error)?.message ?? String(err)})`, reason: 'corrupt' };
}

/**
 * The lines of a (possibly gzip- or xz-compressed) text file without their line endings (`\n`
 * or `\r\n`). A corrupt or cut-short stream, an empty file, a FIFO and an unsupported
 * compression are each a DataFormatError naming the file.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  checkDataFile(path);
  const compression = compressionOf(path);
  if (compression !== 'none' && compression !== 'gzip' && compression !== 'xz') {
    throw new DataFormatError(
      `${compression}-compressed, which is not read: decompress it, or compress it with gzip or xz`,
      { file: path, reason: 'wrong format' },
    );
  }
  const raw = createReadStream(path);
  let stream: Readable = raw;
  let failure: unknown;
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  } else if (compression === 'xz') {
    const web = Readable.toWeb(raw) as unknown as ReadableStream<Uint8Array>;
    stream = Readable.fromWeb(new XzReadableStream(web) as unknown as WebReadableStream<Uint8Array>);
  }
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  stream.on('error', (e) => {
    failure = e;
    rl.close();
  });
  try {
    for await (const line of rl) yield line;
  } catch (err) {
    failure = err;
  } finally {
    rl.close();
    stream.destroy();
    raw.destroy();
  }
  if (failure !== undefined) {
    if (compression === 'xz') {
      const f = xzFailure(failure);
      throw new DataFormatError(f.text, { file: path, cause: failure, reason: f.reason });
    }
    const code = (failure as NodeJS.ErrnoException).code;
    if (code && !code.startsWith('Z_') && code !== 'ERR_STREAM_PREMATURE_CLOSE')
      throw unreadableFileError(path, failure);
    const short = code === 'Z_BUF_ERROR' || /unexpected end/i.test((failure as Error).message);
    throw new DataFormatError(
      `unreadable${compression === 'gzip' ? ' gzip' : ''} file: ${(failure as Error).message}`,
      {
        file: path,
        cause: failure,
        reason: short ? 'truncated' : 'corrupt',
      },
    );
  }
}
