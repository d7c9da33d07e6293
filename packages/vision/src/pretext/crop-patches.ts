import { ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** A square patch of one image of a batch: its image index and top-left pixel. */
export interface PatchBox {
  /** Row of the batch the patch is cut from. */
  image: number;
  /** Top row of the patch. */
  top: number;
  /** Left column of the patch. */
  left: number;
}

/**
 * Cuts `size` x `size` patches out of a batch `[n, h, w, c]`, one per box, in box order:
 * `[boxes.length, size, size, c]`. Exact pixel copies (a gather, no interpolation).
 * @throws ShapeError when a box reaches outside its image.
 */
export function cropPatches(images: tf.Tensor4D, boxes: readonly PatchBox[], size: number): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const idx = new Int32Array(boxes.length * size * size);
  let k = 0;
  for (const b of boxes) {
    if (b.image < 0 || b.image >= n || b.top < 0 || b.left < 0 || b.top + size > h || b.left + size > w) {
      throw new ShapeError(
        `cropPatches: a ${size}x${size} patch at (${b.top}, ${b.left}) of image ${b.image} does not fit images [${n}, ${h}, ${w}, ${c}]`,
      );
    }
    for (let i = 0; i < size; i++) {
      const row = (b.image * h + b.top + i) * w + b.left;
      for (let j = 0; j < size; j++) idx[k++] = row + j;
    }
  }
  return tf.tidy(() => {
    const pixels = tf.reshape(images, [n * h * w, c]);
    return tf.reshape(tf.gather(pixels, tf.tensor1d(idx, 'int32')), [boxes.length, size, size, c]) as tf.Tensor4D;
  });
}
