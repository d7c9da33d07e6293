import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@autodidact/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../test-support/data.js';
import { readIdx } from './idx.js';
import { listImageFolder, loadImageFolder, summarizeSkipped } from './image-folder.js';

const MNIST = join(DATA_DIR, 'mnist', 't10k-images-idx3-ubyte');
const MNIST_LABELS = join(DATA_DIR, 'mnist', 't10k-labels-idx1-ubyte');
const PHOTOS = join(DATA_DIR, 'photos');
const have = existsSync(MNIST) && existsSync(join(PHOTOS, 'truncated.jpg'));
if (!have) console.warn(`skipping image-folder tests: run 'node tools/fetch-data.mjs mnist photos'`);

const N = 60;
let work = '';
let images: Uint8Array;
let labels: Uint8Array;

/** Writes the first N MNIST test digits as PNGs: root/<digit>/<index>.png, and flat/<index>.png. */
beforeAll(async () => {
  if (!have) return;
  work = mkdtempSync(join(tmpdir(), 'autodidact-imagefolder-'));
  images = (await readIdx(MNIST)).data;
  labels = (await readIdx(MNIST_LABELS)).data;
  mkdirSync(join(work, 'flat'));
  for (let i = 0; i < N; i++) {
    const dir = join(work, 'classes', String(labels[i]));
    mkdirSync(dir, { recursive: true });
    const png = await sharp(Buffer.from(images.subarray(i * 784, (i + 1) * 784)), {
      raw: { width: 28, height: 28, channels: 1 },
    })
      .toColourspace('b-w') // a 1-channel PNG (sharp writes raw input as RGB otherwise)
      .png()
      .toBuffer();
    const name = `${String(i).padStart(3, '0')}.png`;
    writeFileSync(join(dir, name), png);
    writeFileSync(join(work, 'flat', name), png);
  }
  writeFileSync(join(work, 'classes', 'README.txt'), 'not an image, ignored');
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!have)('ImageFolder', () => {
  it('class subfolders give labels and sorted class names; pixels equal the IDX bytes', async () => {
    const ds = await loadImageFolder(join(work, 'classes'), { concurrency: 4 });
    expect(ds.size).toBe(N);
    expect(ds.sampleShape).toEqual([28, 28, 1]);
    const present = [...new Set(Array.from(labels.subarray(0, N)))].sort((a, b) => a - b);
    expect(ds.classNames).toEqual(present.map(String));
    // every image is matched with its file, its label and its original pixels
    ds.files!.forEach((file, row) => {
      const i = Number(file.slice(-7, -4));
      expect(ds.classNames![ds.labels![row]!]).toBe(String(labels[i]));
      expect(
        Buffer.compare(ds.pixels.subarray(row * 784, (row + 1) * 784), images.subarray(i * 784, (i + 1) * 784)),
      ).toBe(0);
    });
    // a limited load takes the classes round-robin: class-balanced, not the first classes only
    const some = await loadImageFolder(join(work, 'classes'), { limit: 20 });
    const counts = new Map<number, number>();
    for (const l of some.labels!) counts.set(l, (counts.get(l) ?? 0) + 1);
    expect(counts.size).toBe(present.length);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(3);
    const batch = ds.getBatch([0, 5]);
    expect(batch.shape).toEqual([2, 28, 28, 1]);
    const x = batch.dataSync();
    expect(x[300]).toBeCloseTo(ds.pixels[300]! / 255, 6);
    batch.dispose();
  });

  it('a flat folder is unlabelled; limit keeps the first images in name order', async () => {
    const ds = await loadImageFolder(join(work, 'flat'), { limit: 7, channels: 3, size: [32, 32] });
    expect(ds.labels).toBeUndefined();
    expect(ds.size).toBe(7);
    expect(ds.sampleShape).toEqual([32, 32, 3]);
    expect(ds.files!.map((f) => f.slice(-7))).toEqual([
      '000.png',
      '001.png',
      '002.png',
      '003.png',
      '004.png',
      '005.png',
      '006.png',
    ]);
    await expect(loadImageFolder(join(work, 'flat'), { labels: 'required' })).rejects.toThrow(
      /flat: expected one subfolder per class/,
    );
    expect(listImageFolder(join(work, 'classes'), 'none').files).toHaveLength(N);
  });

  it('corrupt and unsupported files: an error naming the first, or skip-and-count with a summary', async () => {
    const root = mkdtempSync(join(work, 'mixed-'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    for (let i = 0; i < 6; i++)
      copyFileSync(join(work, 'flat', `00${i}.png`), join(root, i < 3 ? 'a' : 'b', `${i}.png`));
    copyFileSync(join(PHOTOS, 'truncated.jpg'), join(root, 'a', '1b-truncated.jpg'));
    writeFileSync(join(root, 'b', 'garbage.webp'), Buffer.from('not a webp at all'));
    writeFileSync(join(root, 'b', 'anim.gif'), Buffer.from('GIF89a'));
    const err = await loadImageFolder(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).file).toBe(join(root, 'a', '1b-truncated.jpg'));
    const ds = await loadImageFolder(root, { skipCorrupt: true, concurrency: 3 });
    expect(ds.size).toBe(6);
    expect(ds.listed).toBe(9);
    expect(ds.skipped.map((s) => s.file.slice(root.length + 1))).toEqual([
      'a/1b-truncated.jpg',
      'b/anim.gif',
      'b/garbage.webp',
    ]);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 0, 1, 1, 1]);
    const summary = summarizeSkipped(ds.skipped, ds.listed, root);
    expect(summary).toMatch(/^skipped 3 of 9 image files: a\/1b-truncated\.jpg \(cannot decode jpeg image/);
    expect(summary).toMatch(/b\/anim\.gif \(unsupported image format/);
  });

  it('mixed layouts and empty folders are refused with the folder named', async () => {
    const root = mkdtempSync(join(work, 'bad-'));
    mkdirSync(join(root, 'cls'));
    copyFileSync(join(work, 'flat', '000.png'), join(root, 'loose.png'));
    copyFileSync(join(work, 'flat', '001.png'), join(root, 'cls', 'x.png'));
    await expect(loadImageFolder(root)).rejects.toThrow(
      /has both images at the top \(loose\.png, \.\.\.\) and subfolders/,
    );
    expect((await loadImageFolder(root, { labels: 'none' })).size).toBe(2);
    const empty = mkdtempSync(join(work, 'empty-'));
    await expect(loadImageFolder(empty)).rejects.toThrow(/empty-\w+: no PNG, JPEG, WebP, AVIF or TIFF images found/);
    await expect(loadImageFolder(join(work, 'nope'))).rejects.toThrow(/nope: no such file or folder/);
  });
});
