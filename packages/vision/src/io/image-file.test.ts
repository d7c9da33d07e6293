import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '@autodidact/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import reference from '../../../../tools/fixtures/vision/image_reference.json' with { type: 'json' };
import { DATA_DIR } from '../test-support/data.js';
import { decodeImage, isImageFile, readImage } from './image-file.js';

const PHOTOS = join(DATA_DIR, 'photos');
const have = existsSync(join(PHOTOS, 'astronaut.png'));
if (!have) console.warn(`skipping image-file tests: ${PHOTOS} is missing; run 'node tools/fetch-data.mjs photos'`);

type Ref = {
  shape: number[];
  channelSums: number[];
  points: [number, number][];
  pixels: number[][];
  luminance709?: number[];
};
const refs = reference as unknown as Record<string, Ref>;

describe.skipIf(!have)('image files (sharp) against a stdlib-Python PNG decoder', () => {
  for (const name of ['astronaut.png', 'coffee.png', 'camera.png']) {
    it(`${name}: shape, channel sums and sampled pixels match exactly`, async () => {
      const ref = refs[name]!;
      const channels = ref.shape[2] as 1 | 3;
      const img = await readImage(join(PHOTOS, name), { channels });
      expect(img.shape).toEqual(ref.shape);
      expect(img.format).toBe('png');
      const [, w, c] = img.shape;
      const sums = Array.from({ length: c }, (_, k) => {
        let s = 0;
        for (let i = k; i < img.pixels.length; i += c) s += img.pixels[i]!;
        return s;
      });
      expect(sums).toEqual(ref.channelSums);
      ref.points.forEach(([y, x], i) => {
        expect(Array.from(img.pixels.subarray((y * w + x) * c, (y * w + x + 1) * c))).toEqual(ref.pixels[i]);
      });
    });
  }

  it('one channel is BT.709 luminance in linear light (libvips b-w), within 1 level', async () => {
    const ref = refs['astronaut.png']!;
    const img = await readImage(join(PHOTOS, 'astronaut.png'), { channels: 1 });
    expect(img.shape).toEqual([512, 512, 1]);
    ref.points.forEach(([y, x], i) => {
      expect(Math.abs(img.pixels[y * 512 + x]! - ref.luminance709![i]!)).toBeLessThanOrEqual(1);
    });
  });

  it('a grey image read with 3 channels repeats the grey value', async () => {
    const ref = refs['camera.png']!;
    const img = await readImage(join(PHOTOS, 'camera.png'), { channels: 3 });
    expect(img.shape).toEqual([512, 512, 3]);
    ref.points.forEach(([y, x], i) => {
      const v = ref.pixels[i]![0]!;
      expect(Array.from(img.pixels.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3))).toEqual([v, v, v]);
    });
  });

  it('resizing keeps the channel means (fill and cover) and gives the requested shape', async () => {
    const ref = refs['coffee.png']!; // 400 x 600
    const [h, w] = ref.shape as [number, number];
    for (const fit of ['fill', 'cover'] as const) {
      const img = await readImage(join(PHOTOS, 'coffee.png'), { size: [40, 48], fit });
      expect(img.shape).toEqual([40, 48, 3]);
      if (fit === 'fill') {
        for (let k = 0; k < 3; k++) {
          let s = 0;
          for (let i = k; i < img.pixels.length; i += 3) s += img.pixels[i]!;
          expect(s / (40 * 48)).toBeCloseTo(ref.channelSums[k]! / (h * w), -0.5); // within ~1.5 levels
        }
      }
    }
    const contain = await readImage(join(PHOTOS, 'coffee.png'), { size: [60, 60], fit: 'contain' });
    // 400x600 into 60x60: 40 rows of picture, 10 black rows above and below
    expect(Array.from(contain.pixels.subarray(0, 60 * 3)).every((v) => v === 0)).toBe(true);
    expect(contain.pixels.subarray(30 * 60 * 3, 31 * 60 * 3).some((v) => v > 0)).toBe(true);
  });

  it('JPEG and WebP decode; lossless WebP round-trips exactly', async () => {
    const jpg = await readImage(join(PHOTOS, 'rocket.jpg'));
    expect(jpg.format).toBe('jpeg');
    expect(jpg.shape[2]).toBe(3);
    const png = await readImage(join(PHOTOS, 'astronaut.png'), { size: [32, 32] });
    const webpBytes = await sharp(Buffer.from(png.pixels), { raw: { width: 32, height: 32, channels: 3 } })
      .webp({ lossless: true })
      .toBuffer();
    const webp = await decodeImage(webpBytes, 'mem.webp');
    expect(webp.format).toBe('webp');
    expect(Array.from(webp.pixels)).toEqual(Array.from(png.pixels));
  });

  it('corrupt, truncated and unsupported files raise DataFormatError naming the file', async () => {
    const truncated = join(PHOTOS, 'truncated.jpg');
    await expect(readImage(truncated)).rejects.toThrow(DataFormatError);
    await expect(readImage(truncated)).rejects.toThrow(/truncated\.jpg: cannot decode/);
    const bytes = readFileSync(join(PHOTOS, 'astronaut.png'));
    await expect(decodeImage(bytes.subarray(0, 5000), 'cut.png')).rejects.toThrow(/^cut\.png: cannot decode png image/);
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } })
      .gif()
      .toBuffer();
    await expect(decodeImage(gif, 'x.png')).rejects.toThrow(/x\.png: unsupported image format 'gif'/);
    await expect(decodeImage(new Uint8Array([1, 2, 3]), 'junk.jpg')).rejects.toThrow(/^junk\.jpg: /);
    await expect(readImage(join(PHOTOS, 'nope.png'))).rejects.toThrow(/nope\.png: no such file/);
    await expect(readImage(join(PHOTOS, 'astronaut.png'), { size: [0, 3] })).rejects.toThrow(/^size: /);
  });

  it('recognises image extensions', () => {
    expect(['a.PNG', 'b.jpg', 'c.jpeg', 'd.webp'].every(isImageFile)).toBe(true);
    expect(['a.gif', 'b.txt', 'c'].some(isImageFile)).toBe(false);
  });
});
