import type { Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { type Augmentation, compose } from './augmentation.js';
import { colorJitter } from './color-jitter.js';
import { cutout } from './cutout.js';
import { gaussianNoise } from './gaussian-noise.js';
import { horizontalFlip } from './horizontal-flip.js';
import { randomResizedCrop } from './random-resized-crop.js';

/** Two independently augmented views of the same batch (the input of every joint-embedding method). */
export function twoViews(images: tf.Tensor4D, augment: Augmentation, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
  return [augment(images, rng), augment(images, rng)];
}

/** Options of the default view pipeline. */
export interface ViewPipelineOptions {
  /** Crop area range. Default [0.3, 1]. */
  cropScale?: [number, number];
  /** Mirror images (off by default: digits and letters are not mirror-symmetric). */
  flip?: boolean;
  /** Brightness/contrast jitter strength (0 disables). Default 0.4. */
  jitter?: number;
  /** Std of additive Gaussian noise (0 disables). Default 0.05. */
  noise?: number;
  /** Cutout square side in pixels (0 disables). Default 0. */
  cutout?: number;
}

/**
 * The default SimCLR-style pipeline for small grayscale or colour images: random resized
 * crop, optional flip, brightness/contrast jitter, Gaussian noise, optional cutout.
 */
export function defaultViewPipeline(o: ViewPipelineOptions = {}): Augmentation {
  const steps: Augmentation[] = [randomResizedCrop({ scale: o.cropScale ?? [0.3, 1] })];
  if (o.flip) steps.push(horizontalFlip());
  const jitter = o.jitter ?? 0.4;
  if (jitter > 0) steps.push(colorJitter({ brightness: jitter, contrast: jitter }));
  const noise = o.noise ?? 0.05;
  if (noise > 0) steps.push(gaussianNoise(noise));
  if (o.cutout) steps.push(cutout(o.cutout));
  return compose(...steps);
}
