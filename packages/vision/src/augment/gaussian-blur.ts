/**
 * Random Gaussian blur as SimCLR and BYOL use it: with probability `p` per image, a separable
 * Gaussian kernel of odd size `kernelSize` (default about 10% of the image side) with a
 * standard deviation drawn uniformly from `sigma` (default [0.1, 2] pixels), reflect padding at
 * the borders (torchvision's `GaussianBlur`: kernel taps at integer offsets
 * `-(k-1)/2 .. (k-1)/2`, weights `exp(-x^2 / (2 sigma^2))` normalised to sum 1).
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';

/** Options of `gaussianBlur`. */
export interface GaussianBlurOptions {
  /** Odd kernel size in pixels. Default: the odd number nearest 10% of the smaller image side, at least 3. */
  kernelSize?: number;
  /** Range of the kernel's standard deviation in pixels. Default [0.1, 2]. */
  sigma?: [number, number];
  /** Probability of blurring an image. Default 0.5 (SimCLR; BYOL uses 1 and 0.1 for its two views). */
  p?: number;
}

/** The normalised 1-D Gaussian kernel of odd size `size` and standard deviation `sigma`. */
export function gaussianKernel1d(size: number, sigma: number): Float32Array {
  const k = new Float64Array(size);
  const half = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - half;
    k[i] = Math.exp(-0.5 * (x / sigma) ** 2);
    sum += k[i]!;
  }
  return Float32Array.from(k, (v) => v / sum);
}

/** Index of `i` reflected into [0, n) without repeating the edge (numpy/torch 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) {
    if (j < 0) j = -j;
    if (j >= n) j = 2 * (n - 1) - j;
  }
  return j;
}

/** Writes the `n` x `n` matrix of a 1-D reflect-padded convolution with `kernel` (row = output) at `dst[offset..]`. */
function blurMatrix(kernel: Float32Array, n: number, dst: Float32Array, offset: number): void {
  const half = (kernel.length - 1) / 2;
  for (let o = 0; o < n; o++) {
    for (let t = 0; t < kernel.length; t++) {
      const src = reflect(o + t - half, n);
      dst[offset + src * n + o] += kernel[t]!; // stored transposed: [src, out], for x @ M
    }
  }
}

/** Blurs image `i` with standard deviation `sigmas[i]` (0 leaves it unchanged) and odd kernel `kernelSize`. */
export function blur(images: tf.Tensor4D, sigmas: number[], kernelSize: number): tf.Tensor4D {
  const [b, h, w, c] = images.shape;
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new ConfigError(`expected an odd positive kernel size, got ${kernelSize}`, { field: 'kernelSize' });
  }
  const mh = new Float32Array(b * h * h);
  const mw = new Float32Array(b * w * w);
  for (let i = 0; i < b; i++) {
    const s = sigmas[i]!;
    const k = s > 0 ? gaussianKernel1d(kernelSize, s) : Float32Array.of(1);
    blurMatrix(k, h, mh, i * h * h);
    blurMatrix(k, w, mw, i * w * w);
  }
  return tf.tidy(() => {
    const x = tf.transpose(images, [0, 3, 1, 2]); // [batch, c, h, w]
    const rows = tf.matMul(tf.reshape(x, [b, c * h, w]), tf.tensor3d(mw, [b, w, w])); // blur along width
    const t = tf.transpose(tf.reshape(rows, [b, c, h, w]), [0, 1, 3, 2]); // [batch, c, w, h]
    const cols = tf.matMul(tf.reshape(t, [b, c * w, h]), tf.tensor3d(mh, [b, h, h])); // blur along height
    return tf.transpose(tf.reshape(cols, [b, c, w, h]), [0, 3, 2, 1]) as tf.Tensor4D; // [batch, h, w, c]
  });
}

/** Blurs each image with probability `p`, each with its own random sigma. */
export function gaussianBlur(options: GaussianBlurOptions = {}): Augmentation {
  const sigma = options.sigma ?? [0.1, 2];
  const p = options.p ?? 0.5;
  if (!(sigma[0] > 0 && sigma[0] <= sigma[1])) {
    throw new ConfigError(`expected sigma [min, max] with 0 < min <= max, got [${sigma.join(', ')}]`, {
      field: 'sigma',
    });
  }
  if (!(p >= 0 && p <= 1)) throw new ConfigError(`expected a probability in [0, 1], got ${p}`, { field: 'p' });
  return (images, rng) => {
    const [b, h, w] = images.shape;
    const size = options.kernelSize ?? Math.max(3, 2 * Math.floor(Math.min(h, w) / 20) + 1);
    const sigmas = Array.from({ length: b }, () => (rng.bernoulli(p) ? rng.uniform(sigma[0], sigma[1]) : 0));
    return blur(images, sigmas, size);
  };
}
