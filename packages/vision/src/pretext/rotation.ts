/**
 * Rotation prediction (Gidaris, Singh & Komodakis 2018, "Unsupervised Representation Learning
 * by Predicting Image Rotations", ICLR): every image is shown at 0, 90, 180 and 270 degrees and
 * a classifier on the encoder predicts which; recognising the rotation needs the object's
 * shape and canonical orientation. This file holds the data side: rotations and labels.
 */
import { ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Images `[n, h, w, c]` rotated counter-clockwise by `k` quarter turns (as numpy's
 * `np.rot90(x, k, axes=(1, 2))`). Odd `k` swaps height and width.
 */
export function rotate90(images: tf.Tensor4D, k: number): tf.Tensor4D {
  const q = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    if (q === 0) return images.clone();
    if (q === 2) return tf.reverse(images, [1, 2]);
    if (q === 1) return tf.transpose(tf.reverse(images, 2), [0, 2, 1, 3]);
    return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 2);
  });
}

/** A rotation-prediction batch: every image at the four rotations. */
export interface RotationBatch {
  /** `[4n, h, w, c]`: all n images at 0 degrees, then all at 90, 180, 270. */
  images: tf.Tensor4D;
  /** Quarter turns of each row, `4n` values in 0..3. */
  labels: number[];
}

/**
 * The four rotations of every image of a square batch, with their labels (RotNet trains on
 * all four rotations of each image in the same batch, sec. 3 of the paper).
 * @throws ShapeError for non-square images (a rotated batch must keep one shape).
 */
export function rotationBatch(images: tf.Tensor4D): RotationBatch {
  const [n, h, w] = images.shape;
  if (h !== w) throw new ShapeError(`rotationBatch: images must be square to rotate by 90 degrees, got ${h}x${w}`);
  const rotated = [0, 1, 2, 3].map((k) => rotate90(images, k));
  const out = tf.concat(rotated, 0);
  tf.dispose(rotated);
  return { images: out, labels: [0, 1, 2, 3].flatMap((k) => new Array<number>(n).fill(k)) };
}
