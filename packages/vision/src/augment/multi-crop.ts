/**
 * Multi-crop (SwAV, Caron et al. 2020; DINO): `globalCrops` random resized crops at the full
 * size with a large area range, plus `localCrops` small crops at a smaller size with a small
 * area range, each followed by the same colour/blur pipeline. Returns one batch per crop,
 * global crops first.
 */
import { ConfigError, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './augmentation.js';
import { randomResizedCrop } from './random-resized-crop.js';

/** Options of `multiCrop`. */
export interface MultiCropOptions {
  /** Number of global crops. Default 2. */
  globalCrops?: number;
  /** Output [height, width] of global crops. Default: the input size. */
  globalSize?: [number, number];
  /** Area range of global crops. Default [0.14, 1] (SwAV). */
  globalScale?: [number, number];
  /** Number of local crops. Default 6. */
  localCrops?: number;
  /** Output [height, width] of local crops. Default: 3/7 of the input size (SwAV's 96 of 224), at least 8 px. */
  localSize?: [number, number];
  /** Area range of local crops. Default [0.05, 0.14] (SwAV). */
  localScale?: [number, number];
  /** Applied to every crop after cropping (flip, colour, blur, ...). Default: none. */
  augment?: Augmentation;
}

/** A multi-crop view generator: a function from a batch to `globalCrops + localCrops` batches. */
export type MultiCrop = (images: tf.Tensor4D, rng: Rng) => tf.Tensor4D[];

/** Builds a SwAV-style multi-crop view generator. The caller owns (and disposes) the returned batches. */
export function multiCrop(options: MultiCropOptions = {}): MultiCrop {
  const nGlobal = options.globalCrops ?? 2;
  const nLocal = options.localCrops ?? 6;
  for (const [field, v] of [
    ['globalCrops', nGlobal],
    ['localCrops', nLocal],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ConfigError(`expected a non-negative integer, got ${v}`, { field });
  }
  const globalScale = options.globalScale ?? [0.14, 1];
  const localScale = options.localScale ?? [0.05, 0.14];
  return (images, rng) => {
    const [, h, w] = images.shape;
    const gSize = options.globalSize ?? [h, w];
    const lSize = options.localSize ?? [Math.max(8, Math.round((h * 3) / 7)), Math.max(8, Math.round((w * 3) / 7))];
    const globalCrop = randomResizedCrop({ scale: globalScale, size: gSize });
    const localCrop = randomResizedCrop({ scale: localScale, size: lSize });
    const out: tf.Tensor4D[] = [];
    for (let i = 0; i < nGlobal + nLocal; i++) {
      const crop = (i < nGlobal ? globalCrop : localCrop)(images, rng);
      if (options.augment) {
        out.push(options.augment(crop, rng));
        crop.dispose();
      } else out.push(crop);
    }
    return out;
  };
}
