/**
 * Rotations of image batches `[batch, height, width, channels]`, counter-clockwise as displayed
 * (row 0 at the top). Multiples of 90 degrees are exact (transpose and reverse, like
 * `torch.rot90`); other angles resample bilinearly about the image centre (pixel centres at
 * integer coordinates, as `grid_sample(align_corners=True)`), and a neighbour that falls
 * outside the image contributes `fill` instead (torchvision's `rotate(..., fill=...)` without
 * `expand`). The output keeps the input size.
 */
import { ConfigError, type Rng, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

/**
 * Rotates every image by `k` quarter turns counter-clockwise (k may be negative). Exact: pixels
 * are moved, never interpolated. Odd `k` swaps height and width.
 */
export function rot90(images: tf.Tensor4D, k: number): tf.Tensor4D {
  if (!Number.isInteger(k))
    throw new ConfigError(`expected an integer number of quarter turns, got ${k}`, { field: 'k' });
  const q = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    if (q === 0) return images.clone();
    if (q === 2) return tf.reverse(images, [1, 2]);
    // [batch, h, w, c] -> [batch, w, h, c]
    const t = tf.transpose(images, [0, 2, 1, 3]);
    // one quarter turn counter-clockwise: out[i][j] = in[j][w-1-i]; three turns: out[i][j] = in[h-1-j][i]
    return tf.reverse(t, q === 1 ? 1 : 2);
  });
}

/** Options of `randomRot90`. */
export interface RandomRot90Options {
  /** Allowed quarter-turn counts (each drawn with equal probability). Default [0, 1, 2, 3]. */
  turns?: number[];
}

/**
 * Rotates each image by its own random multiple of 90 degrees. Needs square images when any
 * odd turn count is allowed (the batch must keep one shape).
 */
export function randomRot90(options: RandomRot90Options = {}): Augmentation {
  const turns = options.turns ?? [0, 1, 2, 3];
  if (turns.length === 0 || !turns.every(Number.isInteger)) {
    throw new ConfigError(`expected a non-empty list of integers, got [${turns.join(', ')}]`, { field: 'turns' });
  }
  return (images, rng) => {
    const [b, h, w] = images.shape;
    if (h !== w && turns.some((t) => t % 2 !== 0)) {
      throw new ShapeError(`random 90-degree rotation with odd turns needs square images, got ${h}x${w}`);
    }
    const ks = Array.from({ length: b }, () => turns[rng.int(turns.length)]!);
    return tf.tidy(() => {
      const parts = ks.map((k, i) => {
        const one = tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]);
        return rot90(one, k);
      });
      return tf.concat(parts, 0);
    });
  };
}

/**
 * Source sampling plan of a bilinear rotation of one `h` x `w` image by `degrees`: for every
 * output pixel, four neighbour indices (row-major, clamped into the image) and weights (zero
 * for neighbours outside), plus the total weight that goes to the fill value.
 */
function rotationPlan(
  h: number,
  w: number,
  degrees: number,
  offset: number,
  idx: Int32Array,
  wt: Float32Array,
  fillW: Float32Array,
): void {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dy = y - cy;
      const dx = x - cx;
      // inverse map: the output pixel came from the input rotated back by -t (y axis down)
      const sx = cx + cos * dx - sin * dy;
      const sy = cy + sin * dx + cos * dy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = y * w + x;
      let outside = 0;
      const corners: Array<[number, number, number]> = [
        [y0, x0, (1 - fy) * (1 - fx)],
        [y0, x0 + 1, (1 - fy) * fx],
        [y0 + 1, x0, fy * (1 - fx)],
        [y0 + 1, x0 + 1, fy * fx],
      ];
      for (let k = 0; k < 4; k++) {
        const [yy, xx, a] = corners[k]!;
        const inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
        idx[(offset + o) * 4 + k] = inside ? offset + yy * w + xx : offset;
        wt[(offset + o) * 4 + k] = inside ? a : 0;
        if (!inside) outside += a;
      }
      fillW[offset + o] = outside;
    }
  }
}

/**
 * Rotates image `i` of the batch by `degrees[i]` (counter-clockwise) with bilinear sampling;
 * pixels whose source falls outside the image take `fill`. Returns a new tensor of the input shape.
 */
export function rotate(images: tf.Tensor4D, degrees: number[], fill = 0): tf.Tensor4D {
  const [b, h, w, c] = images.shape;
  if (degrees.length !== b) {
    throw new ShapeError(`rotate: ${degrees.length} angles for a batch of ${b} images`);
  }
  const n = h * w;
  const idx = new Int32Array(b * n * 4);
  const wt = new Float32Array(b * n * 4);
  const fillW = new Float32Array(b * n);
  for (let i = 0; i < b; i++) rotationPlan(h, w, degrees[i]!, i * n, idx, wt, fillW);
  return tf.tidy(() => {
    const flat = tf.reshape(images, [b * n, c]); // [batch*h*w, c]
    const g = tf.gather(flat, tf.tensor1d(idx, 'int32')); // [batch*h*w*4, c]
    const weighted = tf.mul(tf.reshape(g, [b * n, 4, c]), tf.tensor3d(wt, [b * n, 4, 1]));
    let out = tf.sum(weighted, 1); // [batch*h*w, c]
    if (fill !== 0) out = tf.add(out, tf.mul(tf.tensor2d(fillW, [b * n, 1]), fill));
    return tf.reshape(out, [b, h, w, c]) as tf.Tensor4D;
  });
}

/** Options of `randomRotation`. */
export interface RandomRotationOptions {
  /** Angle range in degrees, drawn uniformly per image. Default [-30, 30]. */
  degrees?: [number, number];
  /** Value of pixels whose source lies outside the image. Default 0. */
  fill?: number;
  /** Probability of rotating an image at all. Default 1. */
  p?: number;
}

/** Rotates each image by its own uniform random angle (torchvision's `RandomRotation`). */
export function randomRotation(options: RandomRotationOptions = {}): Augmentation {
  const range = options.degrees ?? [-30, 30];
  const fill = options.fill ?? 0;
  const p = options.p ?? 1;
  if (!(range[0] <= range[1])) {
    throw new ConfigError(`expected degrees [min, max] with min <= max, got [${range.join(', ')}]`, {
      field: 'degrees',
    });
  }
  return (images, rng: Rng) => {
    const b = images.shape[0];
    const angles = Array.from({ length: b }, () => (rng.bernoulli(p) ? rng.uniform(range[0], range[1]) : 0));
    return rotate(images, angles, fill);
  };
}
