/**
 * RotNet (Gidaris, Singh & Komodakis 2018, "Unsupervised Representation Learning by Predicting
 * Image Rotations", ICLR): a 4-way classifier on the encoder names the rotation (0, 90, 180,
 * 270 degrees) of each image; every image is shown at all four rotations in the same batch.
 * Rotations: `pretext/rotation.ts`.
 */
import { type NetEncoder, type Rng, type OptionSchema, resolveOptions } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import { rotationBatch } from '../pretext/rotation.js';
import { classifierHead, classify, HeadTask, PretextMethod, type TaskOutput } from './pretext-task.js';
import {
  buildEncoder,
  buildLightViews,
  IMAGE_ENCODER_DEFAULTS,
  IMAGE_ENCODER_SCHEMA,
  LIGHT_VIEW_DEFAULTS,
  type LightViewOptions,
  lightViewSchema,
} from './view-options.js';

/** Options of the rotation task's head and input (the light augmentation before rotating). */
export interface RotationTaskOptions extends LightViewOptions {
  /** Head hidden width. */
  hiddenDim: number;
}

/** The rotation pretext task (4 classes). */
export class RotationTask extends HeadTask {
  readonly name = 'rotation';
  private readonly views: Augmentation;

  constructor(encoderDim: number, o: RotationTaskOptions, rng: Rng) {
    super(classifierHead('rotation/', encoderDim, o.hiddenDim, 4, rng));
    this.views = buildLightViews(o);
  }

  run(encoder: NetEncoder, images: tf.Tensor4D, rng: Rng): TaskOutput {
    const { images: rotated, labels } = rotationBatch(this.views(images, rng)); // [4n, h, w, c]
    return classify(this.head.apply(encoder.apply(rotated, true), true), labels);
  }
}

/** RotNet's options and their defaults (docs/methods/rotation.md). */
export const ROTATION_DEFAULTS = {
  ...IMAGE_ENCODER_DEFAULTS,
  hiddenDim: 256,
  ...LIGHT_VIEW_DEFAULTS,
};

/** Type, bounds and meaning of each option of {@link ROTATION_DEFAULTS}. */
export const ROTATION_SCHEMA: OptionSchema<typeof ROTATION_DEFAULTS> = {
  ...IMAGE_ENCODER_SCHEMA,
  hiddenDim: { type: 'integer', min: 1, description: 'Rotation head hidden width.' },
  ...lightViewSchema('Random-resized-crop area range (light augmentation).'),
};
/** Options of {@link createRotation}. */
export type RotationOptions = typeof ROTATION_DEFAULTS;

/** RotNet: one encoder, one rotation head. */
export function createRotation(sampleShape: number[], options: Partial<RotationOptions>, rng: Rng): PretextMethod {
  const o = resolveOptions('rotation', ROTATION_SCHEMA, ROTATION_DEFAULTS, options);
  const encoder: NetEncoder = buildEncoder(o, sampleShape, rng);
  const task = new RotationTask(encoder.config.outputDim, o, rng);
  return new PretextMethod('rotation', encoder, [{ task, weight: 1 }], o);
}
