/**
 * Streaming line reader over a file, gzip or plain (decided by the gzip magic bytes 1f 8b, not
 * the file name), through node:readline, so genomes of any size are read with bounded memory.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '@autodidact/core';

/** True when the file starts with the gzip magic bytes. */
export function isGzipFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DataFormatError('cannot open file', { file: path, cause: err });
  }
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of a (possibly gzipped) text file without their line endings (`\n` or `\r\n`).
 * A corrupt gzip stream is a DataFormatError naming the file.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const gz = isGzipFile(path);
  const raw = createReadStream(path);
  let stream: Readable = raw;
  let failure: unknown;
  if (gz) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
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
    throw new DataFormatError(`unreadable${gz ? ' gzip' : ''} file: ${(failure as Error).message}`, {
      file: path,
      cause: failure,
    });
  }
}
