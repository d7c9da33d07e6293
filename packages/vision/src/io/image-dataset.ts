/**
 * Decoded images held as 8-bit pixels (a quarter of the memory of float32) and turned into
 * float32 batches in [0, 1] only when the trainer asks for them.
 */
import { type Dataset, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** A dataset of same-sized images stored as bytes `[n, height, width, channels]`. */
export class ImageDataset implements Dataset<tf.Tensor> {
  readonly size: number;
  readonly sampleShape: readonly number[];
  private readonly sampleLength: number;

  /**
   * @param pixels interleaved bytes of all images, `[n, height, width, channels]` row-major
   * @param shape one image's `[height, width, channels]`
   */
  constructor(
    readonly pixels: Uint8Array,
    shape: readonly [number, number, number],
    readonly labels?: Int32Array,
    readonly classNames?: readonly string[],
    readonly source?: string,
    /** The file of each image, index-aligned (for messages and `embed` output). */
    readonly files?: readonly string[],
  ) {
    this.sampleShape = [...shape];
    this.sampleLength = shape[0] * shape[1] * shape[2];
    if (this.sampleLength === 0 || pixels.length % this.sampleLength !== 0) {
      throw new ShapeError(`${pixels.length} bytes are not a whole number of [${shape.join(', ')}] images`);
    }
    this.size = pixels.length / this.sampleLength;
    if (labels && labels.length !== this.size) {
      throw new ShapeError(`${labels.length} labels for ${this.size} images`);
    }
  }

  /** Float32 images in [0, 1], `[indices.length, height, width, channels]`. */
  getBatch(indices: readonly number[]): tf.Tensor {
    const n = this.sampleLength;
    const out = new Float32Array(indices.length * n);
    indices.forEach((idx, row) => {
      if (!Number.isInteger(idx) || idx < 0 || idx >= this.size) {
        throw new ShapeError(`index ${idx} outside the dataset of ${this.size} images`);
      }
      const src = this.pixels.subarray(idx * n, (idx + 1) * n);
      const base = row * n;
      for (let i = 0; i < n; i++) out[base + i] = src[i]! / 255;
    });
    return tf.tensor4d(out, [indices.length, ...(this.sampleShape as [number, number, number])]);
  }

  /** The first `limit` images (copies nothing but the label slice). */
  head(limit: number): ImageDataset {
    const n = Math.min(limit, this.size);
    return new ImageDataset(
      this.pixels.subarray(0, n * this.sampleLength),
      this.sampleShape as [number, number, number],
      this.labels?.slice(0, n),
      this.classNames,
      this.source,
      this.files?.slice(0, n),
    );
  }

  /** Nothing to free: the pixels are plain memory. */
  dispose(): void {}
}
