import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFormatError } from '../../../core/src/test-support/bad-file-policy.js';
import { dataFile } from '../test-support/data.js';
import { labelsPathFor, loadIdx, parseIdx } from './idx.js';

function idx(shape: number[], values: number[], type = 0x08): Uint8Array {
  const head = new Uint8Array(4 + 4 * shape.length);
  const dv = new DataView(head.buffer);
  head.set([0, 0, type, shape.length]);
  for (const [i, d] of shape.entries()) dv.setUint32(4 + 4 * i, d, false);
  return new Uint8Array([...head, ...values]);
}

const dir = mkdtempSync(join(tmpdir(), 'autodidact-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IDX', () => {
  it('parses raw and gzipped files the same way', () => {
    const bytes = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250]);
    const a = parseIdx(bytes, 'a');
    const b = parseIdx(gzipSync(bytes), 'b');
    expect(a.shape).toEqual([2, 2, 3]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(a.data[6]).toBe(255);
  });

  it('names the file and the problem for corrupt input', () => {
    const good = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([]), /too short/],
      [new Uint8Array([1, 0, 8, 3, 0, 0, 0, 1]), /two zero bytes/],
      [idx([2], [1, 2], 0x0d), /value type 0xd/],
      [good.subarray(0, good.length - 1), /truncated: header \[2, 2, 2\] needs 24 bytes, file has 23/],
      [new Uint8Array([...good, 9]), /trailing data/],
      [good.subarray(0, 9), /truncated header/],
      [new Uint8Array([0x1f, 0x8b, 1, 2, 3]), /corrupt gzip/],
      [idx([0x7fff, 0x7fff, 0x7fff], []), /more than supported|truncated/],
    ];
    for (const [bytes, message] of cases)
      expectFormatError(() => parseIdx(bytes, '/data/bad.idx'), '/data/bad.idx', message);
  });

  it('finds the labels beside the images and checks the counts agree', async () => {
    const images = join(dir, 'toy-images-idx3-ubyte');
    writeFileSync(images, idx([3, 2, 2], [0, 255, 0, 255, 10, 20, 30, 40, 255, 255, 255, 255]));
    expect(labelsPathFor(images)).toBeUndefined();
    const unlabelled = await loadIdx(images);
    expect(unlabelled.labels).toBeUndefined();
    expect(unlabelled.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(unlabelled.inputs.dataSync().slice(0, 2))).toEqual([0, 1]);
    unlabelled.dispose();
    await expect(loadIdx(images, { requireLabels: true })).rejects.toThrow(/no labels file beside the images/);
    writeFileSync(join(dir, 'toy-labels-idx1-ubyte.gz'), gzipSync(idx([2], [1, 0])));
    await expect(loadIdx(images)).rejects.toThrow(/has 2 labels but .* has 3 images/);
    writeFileSync(join(dir, 'toy-labels-idx1-ubyte.gz'), gzipSync(idx([3], [1, 0, 2])));
    const ds = await loadIdx(images, { limit: 2 });
    expect(ds.size).toBe(2);
    expect(Array.from(ds.labels!)).toEqual([1, 0]);
    ds.dispose();
    await expect(loadIdx(join(dir, 'toy-labels-idx1-ubyte.gz'))).rejects.toThrow(/is this a labels file/);
    await expect(loadIdx(join(dir, 'missing-images-idx3-ubyte'))).rejects.toThrow(
      /missing-images-idx3-ubyte: no such file/,
    );
  });

  it('loads the real MNIST (raw) and Fashion-MNIST (gzipped) files with their labels', async () => {
    const mnist = await loadIdx(dataFile('mnist', 't10k-images-idx3-ubyte'));
    expect(mnist.size).toBe(10000);
    expect(mnist.inputs.shape).toEqual([10000, 28, 28, 1]);
    const counts = new Array(10).fill(0);
    for (const l of mnist.labels!) counts[l]++;
    expect(Math.min(...counts)).toBeGreaterThan(800); // every digit present
    const mean = tf.tidy(() => tf.mean(mnist.inputs).dataSync()[0]!);
    expect(mean).toBeGreaterThan(0.1); // MNIST's mean intensity is about 0.13
    expect(mean).toBeLessThan(0.16);
    mnist.dispose();
    const fashion = await loadIdx(dataFile('fashion-mnist', 't10k-images-idx3-ubyte.gz'), { limit: 1000 });
    expect(fashion.size).toBe(1000);
    expect(new Set(fashion.labels).size).toBe(10);
    fashion.dispose();
  });
});
