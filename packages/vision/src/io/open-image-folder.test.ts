import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadFiles, closeDataset, isStreaming, readBatch } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from './image-file.js';
import { listImageFolder } from './image-folder.js';
import { nativeJpegCover } from './native-jpeg.js';
import { openImageFolder } from './open-image-folder.js';
import { tempWorkDir } from '../../../core/src/test-support/temp-work-dir.js';
import { batchValues } from '../../../core/src/test-support/dataset-values.js';

/** A picture with structure (gradients differing per channel and seed), so resizing has work to do. */
function pixels(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      raw[o] = (x * 7 + seed * 31) & 255;
      raw[o + 1] = (y * 5 + seed * 17) & 255;
      raw[o + 2] = ((x ^ y) * 3 + seed) & 255;
    }
  }
  return raw;
}

type Format = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff';
async function image(width: number, height: number, seed: number, format: Format): Promise<Buffer> {
  const img = sharp(pixels(width, height, seed), { raw: { width, height, channels: 3 } });
  return img.toFormat(format).toBuffer();
}

const work = tempWorkDir('autodidact-open-image-folder-');

describe('openImageFolder: memory and stream', () => {
  let root = '';
  beforeAll(async () => {
    root = join(work.path, 'formats');
    const formats: Format[] = ['png', 'jpeg', 'webp', 'avif', 'tiff'];
    for (const [c, cls] of ['cat', 'dog'].entries()) {
      mkdirSync(join(root, cls), { recursive: true });
      for (const [k, f] of formats.entries()) {
        // mixed sizes and aspect ratios: the shorter side is scaled, the centre cropped
        const w = 24 + 9 * k;
        const h = 40 - 3 * k + c;
        writeFileSync(join(root, cls, `${k}.${f === 'jpeg' ? 'jpg' : f}`), await image(w, h, 10 * c + k, f));
      }
    }
  });

  for (const channels of [3, 1] as const) {
    it(`memory and stream give the same values bit for bit, each the file's decode / 255 (${channels} channel${channels > 1 ? 's' : ''})`, async () => {
      const listing = listImageFolder(root, 'required');
      const open = (dataMode: 'memory' | 'stream') =>
        openImageFolder(root, { listing, size: [16, 16], channels, dataMode, workers: 1, badFiles: new BadFiles() });
      const mem = await open('memory');
      const str = await open('stream');
      try {
        expect(isStreaming(mem)).toBe(false);
        expect(isStreaming(str)).toBe(true);
        expect(mem.size).toBe(10);
        expect(str.size).toBe(10);
        expect(Array.from(str.labels!)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        expect(Array.from(mem.labels!)).toEqual(Array.from(str.labels!));
        expect(str.classNames).toEqual(['cat', 'dog']);
        const all = Array.from({ length: 10 }, (_, i) => i);
        const a = await batchValues(mem, all);
        const b = await batchValues(str, [...all].reverse());
        const len = 16 * 16 * channels;
        for (let i = 0; i < 10; i++) {
          const fromStream = b.subarray((9 - i) * len, (10 - i) * len);
          expect(Array.from(a.subarray(i * len, (i + 1) * len))).toEqual(Array.from(fromStream));
        }
        // the reference: sharp's decode of each file (in index order: sorted paths), as bytes / 255;
        // colour JPEGs take the native libjpeg-turbo path when it is built (native-jpeg.test.ts
        // checks it against sharp's bilinear resize)
        const files = ['cat', 'dog'].flatMap((c) =>
          ['0.png', '1.jpg', '2.webp', '3.avif', '4.tiff'].map((f) => join(root, c, f)).sort(),
        );
        const jpeg = nativeJpegCover();
        for (const [i, f] of files.entries()) {
          const bytes = readFileSync(f);
          const fast = new Float32Array(len);
          const native = jpeg !== undefined && f.endsWith('.jpg') && jpeg(bytes, 16, 16, channels, fast);
          expect(native, f).toBe(jpeg !== undefined && f.endsWith('.jpg') && channels === 3);
          const img = await decodeImage(bytes, f, { size: [16, 16], channels });
          const ref = native ? fast : Float32Array.from(img.pixels, (p) => p / 255);
          expect(Array.from(a.subarray(i * len, (i + 1) * len)), f).toEqual(Array.from(ref));
        }
      } finally {
        await closeDataset(mem);
        await closeDataset(str);
      }
    });
  }

  it('auto keeps a small folder in memory and streams one above the threshold', async () => {
    const listing = listImageFolder(root, 'none');
    const bytes = 10 * 8 * 8 * 3 * 4;
    const open = (threshold: number) =>
      openImageFolder(root, {
        listing,
        size: [8, 8],
        channels: 3,
        threshold,
        workers: 0,
        badFiles: new BadFiles(),
      });
    const small = await open(bytes);
    const large = await open(bytes - 1);
    expect(isStreaming(small)).toBe(false);
    expect(isStreaming(large)).toBe(true);
    await closeDataset(small);
    await closeDataset(large);
  });

  it('streaming holds no decoded set: tensor memory after opening does not grow with the folder', async () => {
    const grow = join(work.path, 'grow');
    mkdirSync(grow);
    const png = await image(20, 20, 1, 'png');
    const held = async (n: number, dataMode: 'memory' | 'stream') => {
      for (let i = 0; i < n; i++) writeFileSync(join(grow, `${String(i).padStart(3, '0')}.png`), png);
      const before = tf.memory().numBytes;
      const ds = await openImageFolder(grow, {
        listing: listImageFolder(grow, 'none'),
        size: [20, 20],
        channels: 3,
        dataMode,
        workers: 0,
        badFiles: new BadFiles(),
      });
      const tensors = tf.memory().numTensors;
      await batchValues(ds, [0, 1, 2, 3]);
      expect(tf.memory().numTensors).toBe(tensors); // a batch read and freed leaves nothing
      const bytes = tf.memory().numBytes - before;
      await closeDataset(ds);
      return bytes;
    };
    expect(await held(10, 'stream')).toBe(0);
    expect(await held(40, 'stream')).toBe(0);
    expect(await held(40, 'memory')).toBe(40 * 20 * 20 * 3 * 4);
  });
});

describe('openImageFolder: bad files', () => {
  it('empty, truncated and undecodable files are counted skips with their reason, in memory and streaming', async () => {
    const root = join(work.path, 'bad');
    mkdirSync(root);
    for (let i = 0; i < 4; i++) writeFileSync(join(root, `good-${i}.png`), await image(12, 12, i, 'png'));
    const jpg = await image(12, 12, 7, 'jpeg');
    writeFileSync(join(root, 'cut.jpg'), jpg.subarray(0, jpg.length >> 1));
    writeFileSync(join(root, 'empty.png'), '');
    writeFileSync(join(root, 'text.webp'), 'not a picture at all');
    writeFileSync(join(root, 'anim.gif'), 'GIF89a');
    for (const dataMode of ['memory', 'stream'] as const) {
      const lines: string[] = [];
      const bad = new BadFiles({ log: (l) => lines.push(l), unit: 'image files' });
      const ds = await openImageFolder(root, {
        listing: listImageFolder(root, 'none'),
        size: [12, 12],
        channels: 3,
        dataMode,
        workers: dataMode === 'stream' ? 1 : 0,
        badFiles: bad,
      });
      // streaming: indices stay (8), each bad one read as the next readable image; in memory: left out
      expect(ds.size).toBe(dataMode === 'stream' ? 8 : 4);
      await batchValues(
        ds,
        Array.from({ length: ds.size }, (_, i) => i),
      );
      expect(bad.summary(), dataMode).toBe('skipped 4 of 8 image files (1 empty, 1 truncated, 2 wrong format)');
      for (const f of ['cut.jpg', 'empty.png', 'text.webp', 'anim.gif']) {
        expect(
          lines.filter((l) => l.startsWith(`skipped ${join(root, f)}: `)),
          f,
        ).toHaveLength(1);
      }
      await closeDataset(ds);
    }
  });

  it('a file changed or removed after indexing is a counted skip mid-run; reopening finds the index stale and rebuilds it', async () => {
    const root = join(work.path, 'stale');
    mkdirSync(root);
    for (let i = 0; i < 6; i++) writeFileSync(join(root, `${i}.png`), await image(10, 10, i, 'png'));
    const lines: string[] = [];
    const bad = new BadFiles({ log: (l) => lines.push(l), unit: 'image files' });
    const open = () =>
      openImageFolder(root, {
        listing: listImageFolder(root, 'none'),
        size: [10, 10],
        channels: 3,
        dataMode: 'stream',
        workers: 1,
        badFiles: bad,
        log: (l) => lines.push(l),
      });
    const ds = await open();
    const before = await batchValues(ds, [0, 1, 2, 3, 4, 5]);
    // During the run: one file rewritten with other content, one removed.
    writeFileSync(join(root, '1.png'), await image(11, 10, 99, 'png'));
    unlinkSync(join(root, '4.png'));
    const after = await batchValues(ds, [0, 1, 2, 3, 4, 5]);
    const len = 10 * 10 * 3;
    // 1 is read as 2 (the next readable image), 4 as 5; the others are unchanged
    expect(Array.from(after.subarray(len, 2 * len))).toEqual(Array.from(before.subarray(2 * len, 3 * len)));
    expect(Array.from(after.subarray(4 * len, 5 * len))).toEqual(Array.from(before.subarray(5 * len, 6 * len)));
    expect(Array.from(after.subarray(0, len))).toEqual(Array.from(before.subarray(0, len)));
    expect(lines.some((l) => l.startsWith(`skipped ${join(root, '1.png')}: changed since indexing`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`skipped ${join(root, '4.png')}: `))).toBe(true);
    expect(bad.skipped.map((s) => s.reason).sort()).toEqual(['corrupt', 'unreadable']);
    await closeDataset(ds);

    lines.length = 0;
    const again = await open();
    expect(again.size).toBe(5);
    expect(lines.some((l) => /index of .* updated: 1 changed \(1\.png\), 1 removed \(4\.png\)/.test(l))).toBe(true);
    await closeDataset(again);
  });

  it('strict stops at the first bad file with a one-line error naming it', async () => {
    const root = join(work.path, 'strict');
    mkdirSync(root);
    writeFileSync(join(root, 'a.png'), await image(8, 8, 1, 'png'));
    writeFileSync(join(root, 'b.png'), '');
    const ds = await openImageFolder(root, {
      listing: listImageFolder(root, 'none'),
      size: [8, 8],
      channels: 1,
      dataMode: 'stream',
      workers: 1,
      badFiles: new BadFiles({ strict: true }),
    });
    const err = await readBatch(ds, [1]).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe(`${join(root, 'b.png')}: empty file (0 bytes)`);
    await closeDataset(ds);
  });
});
