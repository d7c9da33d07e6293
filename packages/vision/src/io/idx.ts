/**
 * IDX files (LeCun's MNIST format): a 4-byte magic — two zero bytes, a type code (0x08 =
 * unsigned byte) and the number of dimensions — then one big-endian uint32 per dimension, then
 * the values. Used by MNIST and Fashion-MNIST, raw or gzipped (detected by content, not name).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataFormatError, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** The header and the raw values of one IDX file. */
export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28]. */
  shape: number[];
  /** The values (only unsigned-byte IDX is used by image sets). */
  data: Uint8Array;
}

/** Dimensions larger than this are refused before any allocation (no real IDX comes close). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** Parses IDX bytes (gzip is undone first). `file` is named in every error. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new DataFormatError(`corrupt gzip stream (${(err as Error).message})`, { file, cause: err });
    }
  }
  if (bytes.length < 4) throw new DataFormatError(`too short for an IDX header (${bytes.length} bytes)`, { file });
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError('not an IDX file: the magic number must start with two zero bytes', { file });
  }
  const type = bytes[2]!;
  const ndim = bytes[3]!;
  if (type !== 0x08) {
    throw new DataFormatError(`unsupported IDX value type 0x${type.toString(16)} (expected 0x08, unsigned byte)`, {
      file,
    });
  }
  if (ndim < 1 || ndim > 4) throw new DataFormatError(`IDX with ${ndim} dimensions (expected 1 to 4)`, { file });
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(
      `truncated header: ${ndim} dimensions need ${headerBytes} bytes, file has ${bytes.length}`,
      {
        file,
      },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  if (count > MAX_ELEMENTS) throw new DataFormatError(`header declares ${count} values, more than supported`, { file });
  const expected = headerBytes + count;
  if (bytes.length !== expected) {
    throw new DataFormatError(
      `${bytes.length < expected ? 'truncated' : 'trailing data'}: header [${shape.join(', ')}] needs ${expected} bytes, file has ${bytes.length}`,
      { file },
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Reads and parses an IDX file (raw or gzipped). */
export async function readIdx(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataFormatError(code === 'ENOENT' ? 'no such file' : `cannot read (${code})`, { file, cause: err });
  }
  return parseIdx(bytes, file);
}

/**
 * The labels file that belongs to an images file: `train-images-idx3-ubyte[.gz]` ->
 * `train-labels-idx1-ubyte[.gz]` (also `.idx3-ubyte` spellings), if it exists.
 */
export function labelsPathFor(imagesPath: string): string | undefined {
  const name = basename(imagesPath);
  const candidates = [name.replace('images-idx3', 'labels-idx1'), name.replace('images.idx3', 'labels.idx1')];
  for (const c of candidates) {
    if (c === name) continue;
    for (const variant of [c, c.endsWith('.gz') ? c.slice(0, -3) : `${c}.gz`]) {
      const p = join(dirname(imagesPath), variant);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/** Options of `loadIdx`. */
export interface LoadIdxOptions {
  /** Keep only the first `limit` images. */
  limit?: number;
  /** Require the labels file (default false: load without labels when none is beside the images). */
  requireLabels?: boolean;
}

/**
 * Loads an IDX images file as a dataset of float32 images `[n, h, w, 1]` in [0, 1], with the
 * labels file found beside it (see `labelsPathFor`) when present.
 */
export async function loadIdx(imagesPath: string, options: LoadIdxOptions = {}): Promise<TensorDataset> {
  const images = await readIdx(imagesPath);
  if (images.shape.length !== 3) {
    throw new DataFormatError(
      `expected an images file with 3 dimensions [n, height, width], got [${images.shape.join(', ')}]` +
        (images.shape.length === 1 ? ' (is this a labels file? pass the images file)' : ''),
      { file: imagesPath },
    );
  }
  const [n0, h, w] = images.shape as [number, number, number];
  const n = options.limit !== undefined ? Math.min(options.limit, n0) : n0;
  const labelsPath = labelsPathFor(imagesPath);
  let labels: Int32Array | undefined;
  if (labelsPath) {
    const l = await readIdx(labelsPath);
    if (l.shape.length !== 1) {
      throw new DataFormatError(`expected a labels file with 1 dimension, got [${l.shape.join(', ')}]`, {
        file: labelsPath,
      });
    }
    if (l.shape[0] !== n0) {
      throw new DataFormatError(`has ${l.shape[0]} labels but ${imagesPath} has ${n0} images`, { file: labelsPath });
    }
    labels = Int32Array.from(l.data.subarray(0, n));
  } else if (options.requireLabels) {
    throw new DataFormatError(`no labels file beside the images (looked for *-labels-idx1-ubyte[.gz])`, {
      file: imagesPath,
    });
  }
  const pixels = new Float32Array(n * h * w);
  const src = images.data;
  for (let i = 0; i < pixels.length; i++) pixels[i] = src[i]! / 255;
  const x = tf.tensor4d(pixels, [n, h, w, 1]);
  const classNames = labels ? Array.from({ length: Math.max(...labels) + 1 }, (_, i) => String(i)) : undefined;
  return new TensorDataset(x, labels, classNames, imagesPath);
}

/** True when a path names an IDX file by its usual spelling. */
export function looksLikeIdx(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$/i.test(path) || /\.idx\d?(\.gz)?$/i.test(path);
}
