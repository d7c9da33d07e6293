/**
 * The labelled set of S4L and SupCon given as a file (their `labeledData` option): an IDX images
 * file and the labels file beside it, read synchronously when the method is built. Node-only:
 * the methods reach it through the package import `#labeled-idx`, whose `browser` condition
 * resolves to `labeled-idx.browser.ts` (there the set is given with `setLabeled`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { DataFormatError } from '@autodidact/core';
import { labelsPathFor, parseIdx } from './idx.js';

/** The first `count` images of an IDX file as floats in [0, 1], and their labels. */
export interface LabeledImages {
  /** `[n, height, width, 1]`, row-major. */
  pixels: Float32Array;
  shape: [number, number, number, 1];
  labels: Int32Array;
}

/**
 * Reads `file` (IDX images, raw or gzipped) and its labels file (see `labelsPathFor`); keeps the
 * first `count` images (0: all). `method` names the method in the error when no labels file is
 * beside the images.
 * @throws DataFormatError naming the file when it is missing, has no labels beside it, or the
 *   shapes do not fit (images `[n, h, w]`, n labels).
 */
export function readLabeledIdx(file: string, count: number, method: string): LabeledImages {
  if (!existsSync(file)) throw new DataFormatError('no such file', { file });
  const lp = labelsPathFor(file);
  if (!lp) {
    throw new DataFormatError(
      `${method} needs labels: no labels file beside these images (looked for *-labels-idx1-ubyte[.gz])`,
      { file },
    );
  }
  const imgs = parseIdx(readFileSync(file), file);
  const lab = parseIdx(readFileSync(lp), lp);
  if (imgs.shape.length !== 3 || lab.shape.length !== 1 || lab.shape[0] !== imgs.shape[0]) {
    throw new DataFormatError(`expected images [n, h, w] and n labels, got [${imgs.shape}] and [${lab.shape}]`, {
      file,
    });
  }
  const [n0, h, w] = imgs.shape as [number, number, number];
  const n = count > 0 ? Math.min(count, n0) : n0;
  const pixels = Float32Array.from(imgs.data.subarray(0, n * h * w), (v) => v / 255);
  return { pixels, shape: [n, h, w, 1], labels: Int32Array.from(lab.data.subarray(0, n)) };
}
