import type { Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { type Augmentation, compose } from './augmentation.js';
import { colorJitter } from './color-jitter.js';
import { cutout } from './cutout.js';
import { gaussianBlur } from './gaussian-blur.js';
import { gaussianNoise } from './gaussian-noise.js';
import { randomGrayscale } from './grayscale.js';
import { horizontalFlip } from './horizontal-flip.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { randomRotation } from './rotation.js';
import { solarize } from './solarize.js';

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
  /** Largest rotation angle in degrees, drawn in [-rotate, rotate] (0 disables). Default 0. */
  rotate?: number;
  /** Probability of turning a colour image grey (0 disables). Default 0; SimCLR uses 0.2. */
  grayscale?: number;
  /** Probability of a Gaussian blur with sigma in [0.1, 2] (0 disables). Default 0; SimCLR uses 0.5. */
  blur?: number;
  /** Probability of solarizing at 0.5 (0 disables). Default 0; BYOL's second view uses 0.2. */
  solarize?: number;
}

/**
 * The default SimCLR-style pipeline for small grayscale or colour images: random resized
 * crop, optional flip, optional rotation, brightness/contrast jitter, optional grayscale,
 * optional blur, optional solarize, Gaussian noise, optional cutout. The optional steps are off
 * by default and draw nothing from the generator when off.
 */
export function defaultViewPipeline(o: ViewPipelineOptions = {}): Augmentation {
  const steps: Augmentation[] = [randomResizedCrop({ scale: o.cropScale ?? [0.3, 1] })];
  if (o.flip) steps.push(horizontalFlip());
  if (o.rotate) steps.push(randomRotation({ degrees: [-o.rotate, o.rotate] }));
  const jitter = o.jitter ?? 0.4;
  if (jitter > 0) steps.push(colorJitter({ brightness: jitter, contrast: jitter }));
  if (o.grayscale) steps.push(randomGrayscale(o.grayscale));
  if (o.blur) steps.push(gaussianBlur({ p: o.blur }));
  if (o.solarize) steps.push(solarize({ p: o.solarize }));
  const noise = o.noise ?? 0.05;
  if (noise > 0) steps.push(gaussianNoise(noise));
  if (o.cutout) steps.push(cutout(o.cutout));
  return compose(...steps);
}
