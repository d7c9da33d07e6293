/**
 * RotNet (Gidaris, Singh & Komodakis 2018, "Unsupervised Representation Learning by Predicting
 * Image Rotations", ICLR): a 4-way classifier on the encoder names the rotation (0, 90, 180,
 * 270 degrees) of each image; every image is shown at all four rotations in the same batch.
 * Rotations: `pretext/rotation.ts`.
 */
import type { NetEncoder, OptionsOf, OptionTable, Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import { rotationBatch } from '../pretext/rotation.js';
import {
  classifierHead,
  classify,
  HeadTask,
  PRETEXT_TRAINER_DEFAULTS,
  PretextMethod,
  type TaskOutput,
} from './pretext-task.js';
import {
  buildEncoder,
  buildLightViews,
  WIDE_IMAGE_ENCODER_OPTIONS,
  type LightViewOptions,
  lightViewOptions,
  visionMethod,
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

/** RotNet's options: type, bounds, meaning and default of each (docs/methods/rotation.md). */
export const ROTATION_OPTIONS = {
  ...WIDE_IMAGE_ENCODER_OPTIONS,
  hiddenDim: { type: 'integer', default: 256, min: 1, description: 'Rotation head hidden width.' },
  ...lightViewOptions('Random-resized-crop area range (light augmentation).'),
} satisfies OptionTable;
/** Options of {@link createRotation}. */
export type RotationOptions = OptionsOf<typeof ROTATION_OPTIONS>;

/** `--method rotation`. */
export const ROTATION_METHOD = visionMethod({
  name: 'rotation',
  summary: 'RotNet: predict the rotation (0/90/180/270) of each image (Gidaris et al. 2018)',
  options: ROTATION_OPTIONS,
  trainerDefaults: PRETEXT_TRAINER_DEFAULTS,
  create: ({ sampleShape, options, rng }) => createRotation(sampleShape, options, rng),
});

/** RotNet: one encoder, one rotation head. */
export function createRotation(sampleShape: number[], options: Partial<RotationOptions>, rng: Rng): PretextMethod {
  const o = ROTATION_METHOD.resolve(options);
  const encoder: NetEncoder = buildEncoder(o, sampleShape, rng);
  const task = new RotationTask(encoder.config.outputDim, o, rng);
  return new PretextMethod('rotation', encoder, [{ task, weight: 1 }], o);
}
