/**
 * Images brought to another size and channel count batch by batch, for data held at its own
 * size (IDX files) that must match an encoder or `--image-size`/`--channels`: the shorter side
 * is scaled to the target (bilinear, half-pixel centres) and the centre cropped, as torchvision's
 * Resize + CenterCrop and sharp's `cover` fit do for image folders; grey is repeated to RGB, RGB
 * becomes grey by BT.709 luma weights (on the stored values). Memory stays that of the source.
 */
import { type Dataset, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** BT.709 luma weights (R, G, B). */
const LUMA = [0.2126, 0.7152, 0.0722];

/** `[n, h, w, c]` -> `[n, size[0], size[1], channels]` (see the file comment). */
export function fitImageBatch(x: tf.Tensor4D, size: readonly [number, number], channels: 1 | 3): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = x.shape;
    if (c !== 1 && c !== 3) throw new ShapeError(`images with ${c} channels cannot be converted (expected 1 or 3)`);
    const [H, W] = size;
    let y: tf.Tensor4D = x;
    if (h !== H || w !== W) {
      const scale = Math.max(H / h, W / w);
      const nh = Math.max(H, Math.round(h * scale));
      const nw = Math.max(W, Math.round(w * scale));
      if (nh !== h || nw !== w) y = tf.image.resizeBilinear(y, [nh, nw], false, true);
      const top = Math.floor((nh - H) / 2);
      const left = Math.floor((nw - W) / 2);
      if (nh !== H || nw !== W) y = tf.slice(y, [0, top, left, 0], [-1, H, W, -1]);
    }
    if (c === 1 && channels === 3) y = tf.tile(y, [1, 1, 1, 3]);
    else if (c === 3 && channels === 1) y = tf.sum(tf.mul(y, tf.tensor1d(LUMA)), -1, true) as tf.Tensor4D;
    return y === x ? tf.clone(x) : y;
  });
}

/** A dataset of images whose batches are fitted to `size` and `channels` when they are built. */
export class FittedImageDataset implements Dataset<tf.Tensor> {
  readonly size: number;
  readonly sampleShape: readonly number[];
  readonly labels?: Int32Array;
  readonly classNames?: readonly string[];
  readonly source?: string;

  constructor(
    private readonly base: Dataset<tf.Tensor>,
    private readonly target: readonly [number, number],
    private readonly channels: 1 | 3,
  ) {
    this.size = base.size;
    this.labels = base.labels;
    this.classNames = base.classNames;
    this.source = base.source;
    this.sampleShape = [target[0], target[1], channels];
  }

  getBatch(indices: readonly number[]): tf.Tensor {
    return tf.tidy(() => fitImageBatch(this.base.getBatch(indices) as tf.Tensor4D, this.target, this.channels));
  }

  dispose(): void {
    this.base.dispose?.();
  }
}
