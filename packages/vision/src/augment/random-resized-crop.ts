/**
 * Random resized crop (Szegedy et al. 2015; the main augmentation of SimCLR): a box with a
 * random area fraction in `scale` and aspect ratio in `ratio` (log-uniform), at a random
 * position inside the image, resized back to the output size. Boxes that cannot fit after 10
 * draws fall back to the central crop, as torchvision does.
 */
import type { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image. Default [0.3, 1]. */
  scale?: [number, number];
  /** Range of the crop's width/height ratio. Default [3/4, 4/3]. */
  ratio?: [number, number];
  /** Output [height, width]. Default: the input size. */
  size?: [number, number];
}

/** A crop box in pixels: top, left, height, width. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Draws one crop box inside an `h` x `w` image. */
export function sampleCropBox(
  rng: Rng,
  h: number,
  w: number,
  scale: [number, number],
  ratio: [number, number],
): CropBox {
  const area = h * w;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
      return { top: rng.int(h - ch + 1), left: rng.int(w - cw + 1), height: ch, width: cw };
    }
  }
  const inRatio = w / h;
  let cw = w;
  let ch = h;
  if (inRatio < ratio[0]) ch = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) cw = Math.round(h * ratio[1]);
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}

/** Random resized crop of every image in the batch, each with its own box. */
export function randomResizedCrop(options: RandomResizedCropOptions = {}): Augmentation {
  const scale = options.scale ?? [0.3, 1];
  const ratio = options.ratio ?? [3 / 4, 4 / 3];
  return (images, rng) => {
    const [b, h, w] = images.shape;
    const boxes = new Float32Array(b * 4);
    for (let i = 0; i < b; i++) {
      const c = sampleCropBox(rng, h, w, scale, ratio);
      // cropAndResize takes normalised [y1, x1, y2, x2] with pixel centres at k/(size-1).
      boxes.set(
        [c.top / (h - 1), c.left / (w - 1), (c.top + c.height - 1) / (h - 1), (c.left + c.width - 1) / (w - 1)],
        i * 4,
      );
    }
    const size = options.size ?? [h, w];
    return tf.tidy(() =>
      tf.image.cropAndResize(
        images,
        tf.tensor2d(boxes, [b, 4]),
        tf.tensor1d(
          Array.from({ length: b }, (_, i) => i),
          'int32',
        ),
        size,
        'bilinear',
      ),
    );
  };
}
