// Picture of every vision augmentation: one labelled row per augmentation, 8 seeded views of a
// real photo each (the first row is the photo itself), written as a PNG a person can look at.
//
//   node --conditions=source --import tsx tools/pictures/augmentations.ts \
//     [--photo data/photos/astronaut.png] [--out docs/images/augmentations.png] [--size 96] [--seed 0]
//
// Needs the photos set: `npx autodidact data fetch photos`.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend, Rng } from '@autodidact/core';
import {
  type Augmentation,
  colorJitter,
  cutout,
  defaultViewPipeline,
  gaussianBlur,
  gaussianNoise,
  horizontalFlip,
  multiCrop,
  randomGrayscale,
  randomResizedCrop,
  randomRot90,
  randomRotation,
  readImage,
  solarize,
} from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';

/** Views per row. */
export const VIEWS = 8;
/** Width of the label column in pixels. */
export const LABEL_WIDTH = 190;
/** Gap between cells in pixels. */
export const GAP = 4;

/** One row of the picture: a label and a function from the repeated photo to its views. */
interface Row {
  label: string;
  views: (batch: tf.Tensor4D, rng: Rng) => tf.Tensor4D[];
}

const single = (label: string, a: Augmentation): Row => ({
  label,
  views: (batch, rng) => {
    const y = a(batch, rng);
    const out = tf.unstack(y).map((t) => t.expandDims(0) as tf.Tensor4D);
    y.dispose();
    return out;
  },
});

/** The rows of the picture, in order. */
export function pictureRows(): Row[] {
  return [
    single('original', (x) => x.clone()),
    single('random resized crop', randomResizedCrop({ scale: [0.08, 1] })),
    single('horizontal flip p=0.5', horizontalFlip(0.5)),
    single('rotation k*90', randomRot90()),
    single('rotation +-45, fill 0.5', randomRotation({ degrees: [-45, 45], fill: 0.5 })),
    single('colour jitter', colorJitter({ brightness: 0.4, contrast: 0.4, p: 1 })),
    single('grayscale p=0.5', randomGrayscale(0.5)),
    single('Gaussian blur s 0.1-2', gaussianBlur({ p: 1 })),
    single('solarize p=0.5', solarize({ p: 0.5 })),
    single('cutout 32 px', cutout(32, 1)),
    single('Gaussian noise 0.1', gaussianNoise(0.1)),
    single('SimCLR-style pipeline', defaultViewPipeline({ flip: true })),
    {
      label: 'multi-crop 2 + 6',
      views: (batch, rng) => {
        const one = batch.slice([0, 0, 0, 0], [1, -1, -1, -1]);
        const out = multiCrop({ globalCrops: 2, localCrops: 6 })(one, rng);
        one.dispose();
        return out;
      },
    },
  ];
}

/** Options of `renderAugmentations`. */
export interface RenderOptions {
  /** Photo to augment. */
  photo: string;
  /** PNG to write. */
  out: string;
  /** Side of each (square) view in pixels. Default 96. */
  size?: number;
  /** Seed of the views. Default 0. */
  seed?: number;
}

/** Layout of a written picture. */
export interface RenderResult {
  width: number;
  height: number;
  rows: string[];
  bytes: number;
}

/** Label text as an SVG overlay. */
function labelSvg(text: string, width: number, height: number): Buffer {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="6" y="${height / 2}" font-family="sans-serif" font-size="14" fill="#111" dominant-baseline="middle">${esc}</text></svg>`,
  );
}

/** Renders the augmentation grid of `photo` into `out` (a palette PNG). */
export async function renderAugmentations(options: RenderOptions): Promise<RenderResult> {
  const size = options.size ?? 96;
  const seed = options.seed ?? 0;
  const img = await readImage(options.photo, { size: [size, size], channels: 3 });
  const rows = pictureRows();
  const cell = size + GAP;
  const width = LABEL_WIDTH + VIEWS * cell;
  const height = rows.length * cell;
  const layers: sharp.OverlayOptions[] = [];
  const photo = tf.tidy(() =>
    tf.tile(tf.tensor4d(img.pixels, [1, size, size, 3], 'float32').div(255), [VIEWS, 1, 1, 1]),
  ) as tf.Tensor4D; // [views, size, size, 3]
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const views = row.views(photo, new Rng(seed * 1000 + r));
    layers.push({ input: labelSvg(row.label, LABEL_WIDTH, cell), top: r * cell, left: 0 });
    for (let v = 0; v < views.length; v++) {
      const t = views[v]!;
      const [, h, w] = t.shape;
      const bytes = tf.tidy(() => tf.clipByValue(t, 0, 1).mul(255).round().toInt().dataSync());
      const buf = Buffer.from(Uint8Array.from(bytes));
      layers.push({
        input: buf,
        raw: { width: w, height: h, channels: 3 },
        top: r * cell + Math.floor((size - h) / 2),
        left: LABEL_WIDTH + v * cell + Math.floor((size - w) / 2),
      });
      t.dispose();
    }
  }
  photo.dispose();
  mkdirSync(dirname(options.out), { recursive: true });
  const info = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png({ palette: true, colours: 256, compressionLevel: 9, effort: 10 })
    .toFile(options.out);
  return { width: info.width, height: info.height, rows: rows.map((r) => r.label), bytes: info.size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const flag = (name: string, def: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : def;
  };
  await initBackend({ quiet: true });
  const root = join(import.meta.dirname, '..', '..');
  const dataDir = process.env.AUTODIDACT_DATA_DIR ?? join(root, 'data');
  const result = await renderAugmentations({
    photo: flag('photo', join(dataDir, 'photos', 'astronaut.png')),
    out: flag('out', join(root, 'docs', 'images', 'augmentations.png')),
    size: Number(flag('size', '96')),
    seed: Number(flag('seed', '0')),
  });
  console.log(
    `wrote ${result.width}x${result.height} px, ${(result.bytes / 1024).toFixed(0)} KB, rows: ${result.rows.join(', ')}`,
  );
}
