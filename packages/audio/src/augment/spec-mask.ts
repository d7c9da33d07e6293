/**
 * Time and frequency masking of spectrograms (SpecAugment, Park et al. 2019): `count` bands of
 * width uniform in [0, maxWidth] at uniform positions, per clip, set to `value` (default 0;
 * use the mean for log-mel inputs that are not normalised).
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { AudioAugmentation } from './augmentation.js';

/** Options of {@link timeMask} and {@link freqMask}. */
export interface MaskOptions {
  /** Widest mask in frames (time) or bands (frequency). */
  maxWidth: number;
  /** Masks per clip. Default 1. */
  count?: number;
  /** Value written into the masked cells. Default 0. */
  value?: number;
}

function mask(axis: 1 | 2, o: MaskOptions): AudioAugmentation<tf.Tensor3D> {
  const count = o.count ?? 1;
  const value = o.value ?? 0;
  const field = axis === 1 ? 'timeMask' : 'freqMask';
  if (!Number.isInteger(o.maxWidth) || o.maxWidth < 0) {
    throw new ConfigError(`expected an integer >= 0, got ${o.maxWidth}`, { field: `${field}.maxWidth` });
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new ConfigError(`expected an integer >= 0, got ${count}`, { field: `${field}.count` });
  }
  return (x, rng) => {
    const [b, t, f] = x.shape;
    const len = axis === 1 ? t : f;
    const keep = new Float32Array(b * len).fill(1);
    for (let i = 0; i < b; i++) {
      for (let c = 0; c < count; c++) {
        const w = Math.min(rng.int(o.maxWidth + 1), len);
        const start = rng.int(len - w + 1);
        keep.fill(0, i * len + start, i * len + start + w);
      }
    }
    return tf.tidy(() => {
      const m = tf.tensor3d(keep, axis === 1 ? [b, t, 1] : [b, 1, f]);
      // x * keep + value * (1 - keep)
      return tf.add(tf.mul(x, m), tf.mul(tf.sub(1, m), value)) as tf.Tensor3D;
    });
  };
}

/** Masks spans of frames in spectrograms `[batch, frames, bands]`. */
export function timeMask(options: MaskOptions): AudioAugmentation<tf.Tensor3D> {
  return mask(1, options);
}

/** Masks spans of bands in spectrograms `[batch, frames, bands]`. */
export function freqMask(options: MaskOptions): AudioAugmentation<tf.Tensor3D> {
  return mask(2, options);
}
