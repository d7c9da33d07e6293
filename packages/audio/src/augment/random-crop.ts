/**
 * Random crop in time: a window of `length` samples at an independent uniform offset per clip
 * (wav2vec and CPC train on random crops of the utterances).
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { AudioAugmentation } from './augmentation.js';

/** Crops waveforms `[batch, samples]` to `[batch, length]`. @throws ConfigError when `length` exceeds the clip. */
export function randomCrop(length: number): AudioAugmentation {
  if (!Number.isInteger(length) || length < 1) {
    throw new ConfigError(`expected a positive integer, got ${length}`, { field: 'randomCrop.length' });
  }
  return (x, rng) => {
    const [b, n] = x.shape;
    if (length > n)
      throw new ConfigError(`crop of ${length} samples from clips of ${n}`, { field: 'randomCrop.length' });
    const idx = new Int32Array(b * length);
    for (let i = 0; i < b; i++) {
      const start = rng.int(n - length + 1);
      for (let t = 0; t < length; t++) idx[i * length + t] = i * n + start + t;
    }
    return tf.tidy(
      () => tf.reshape(tf.gather(tf.reshape(x, [-1]), tf.tensor1d(idx, 'int32')), [b, length]) as tf.Tensor2D,
    );
  };
}

/**
 * The training crop a method's `cropSamples` option asks for, on clips of `samples`: its length
 * (`cropSamples` when shorter than the clip and not 0, else the whole clip) and the random crop,
 * undefined when it is the whole clip.
 */
export function trainingCrop(
  cropSamples: number,
  samples: number,
): { length: number; crop: AudioAugmentation | undefined } {
  const length = cropSamples > 0 && cropSamples < samples ? cropSamples : samples;
  return { length, crop: length < samples ? randomCrop(length) : undefined };
}
