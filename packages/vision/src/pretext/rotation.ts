/**
 * Rotation prediction (Gidaris, Singh & Komodakis 2018, "Unsupervised Representation Learning
 * by Predicting Image Rotations", ICLR): every image is shown at 0, 90, 180 and 270 degrees and
 * a classifier on the encoder predicts which; recognising the rotation needs the object's
 * shape and canonical orientation. This file holds the data side: rotations (the exact quarter
 * turns of the augmentations' `rot90`, as numpy's `np.rot90(x, k, axes=(1, 2))`) and labels.
 */
import { ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { rot90 } from '../augment/rotation.js';

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
  const rotated = [0, 1, 2, 3].map((k) => rot90(images, k));
  const out = tf.concat(rotated, 0);
  tf.dispose(rotated);
  return { images: out, labels: [0, 1, 2, 3].flatMap((k) => new Array<number>(n).fill(k)) };
}
