import {
  adamWarmupCosineDefaults,
  methodDefiner,
  type NetEncoder,
  optionDefaults,
  type OptionEntry,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type TrainerOptions,
} from '@autodidact/core';
import { defaultViewPipeline } from '../augment/views.js';
import { encoders } from '../encoders/registry.js';

/** Adam with warm-up and cosine decay: trains the two-view methods well on CPU-sized batches. */
export const VISION_TRAINER_DEFAULTS: Partial<TrainerOptions> = adamWarmupCosineDefaults(256, 2e-3);

/**
 * A vision method's definition (`modality: 'vision'`; {@link VISION_TRAINER_DEFAULTS} unless it
 * gives its own): what `autodidact pretrain vision --method <name>` builds.
 */
export const visionMethod = methodDefiner('vision', VISION_TRAINER_DEFAULTS);

/** The option of a random-resized-crop area range `[min, max]` within [0, 1]. */
export function cropScaleOption(value: [number, number], description: string): OptionEntry<[number, number]> {
  return { type: 'array', items: 'number', length: 2, min: 0, max: 1, default: value, description };
}

/**
 * The head's widths every two-view method takes (`hiddenDim`, `projectionDim` of
 * `TwoViewOptions`; SwAV's and DINO's heads have the same two): positive integers, each described
 * as the method uses it (projector, expander, key/query, the predictor's input).
 */
export function headWidths(
  hiddenDim: number,
  projectionDim: number,
  hidden: string,
  projection: string,
): { hiddenDim: OptionEntry<number>; projectionDim: OptionEntry<number> } {
  return {
    hiddenDim: { type: 'integer', default: hiddenDim, min: 1, description: hidden },
    projectionDim: { type: 'integer', default: projectionDim, min: 1, description: projection },
  };
}

/**
 * `baseMomentum`, the momentum of an EMA copy (the two-view methods' `MomentumTarget`, DINO's
 * teacher) at step 0, raised to 1 over training by core's `cosineMomentum`: a number in [0, 1].
 */
export function baseMomentumOption(value: number, description: string): OptionEntry<number> {
  return { type: 'number', default: value, min: 0, max: 1, description };
}

/** The encoder options, alone for the methods that bring their own input (pretext tasks, data2vec, autoencoders). */
export const IMAGE_ENCODER_OPTIONS = {
  encoder: {
    type: 'enum',
    choices: encoders.names(),
    default: 'conv-small',
    description: 'Encoder kind.',
  },
  width: {
    type: 'integer',
    default: 16,
    min: 1,
    description: 'First-stage width of conv-small (16: 16-32-64 channels, a 64-d embedding; CPU-sized for 28-32 px).',
  },
} satisfies OptionTable;

/**
 * The encoder options at width 32, the default of the methods whose width was put to the
 * validation split: the 13 two-view methods, SwAV, DINO, data2vec, the denoising and masked
 * autoencoders, rotation and multi-task. On the Fashion-MNIST validation split, each at its budget
 * (one seed), width 32 gave each a higher linear probe than width 16: the two-view methods by
 * 0.001-0.032, SwAV by 0.030, DINO by 0.028, data2vec by 0.026, the autoencoders by 0.023 (masked)
 * and 0.039, rotation by 0.037 and multi-task by 0.024 (vision README, "A wider encoder, chosen on
 * validation", and the section after it).
 */
export const WIDE_IMAGE_ENCODER_OPTIONS = {
  ...IMAGE_ENCODER_OPTIONS,
  width: {
    ...IMAGE_ENCODER_OPTIONS.width,
    default: 32,
    description: 'First-stage width of conv-small (32: 32-64-128 channels, a 128-d embedding).',
  },
} satisfies OptionTable;

/** Options every image method shares: the encoder and the view pipeline. */
export const IMAGE_METHOD_OPTIONS = {
  ...IMAGE_ENCODER_OPTIONS,
  /**
   * Why an area of 0.5 to 1: a crop of 30% of a 28 px Fashion-MNIST item often shows only a sleeve
   * or a heel; at 200 steps x 64 on Fashion-MNIST, [0.5, 1] beat [0.3, 1] by 0.006 (linear) /
   * 0.007 (kNN) with SimCLR and 0.001 / 0.010 with BYOL.
   */
  cropScale: cropScaleOption([0.5, 1], 'Random-resized-crop area range.'),
  flip: { type: 'boolean', default: false, description: 'Horizontal flips (off: digits are not mirror-symmetric).' },
  jitter: { type: 'number', default: 0.4, min: 0, description: 'Brightness/contrast jitter strength.' },
  noise: { type: 'number', default: 0.05, min: 0, description: 'Std of additive Gaussian noise.' },
  cutout: { type: 'integer', default: 0, min: 0, description: 'Cutout square side in pixels (0: off).' },
} satisfies OptionTable;

export type ImageMethodOptions = OptionsOf<typeof IMAGE_METHOD_OPTIONS>;

/** Options of the encoder alone ({@link IMAGE_ENCODER_OPTIONS}). */
export type ImageEncoderOptions = OptionsOf<typeof IMAGE_ENCODER_OPTIONS>;

/** Builds the encoder a method's options name, for images of `sampleShape`. */
export function buildEncoder(o: ImageEncoderOptions, sampleShape: number[], rng: Rng, prefix = 'encoder/'): NetEncoder {
  const spec = encoders.get(o.encoder);
  return spec.build(spec.config(sampleShape, { width: o.width }), rng, prefix);
}

/** The view pipeline a method's options describe. */
export function buildViews(o: ImageMethodOptions) {
  return defaultViewPipeline({
    cropScale: o.cropScale,
    flip: o.flip,
    jitter: o.jitter,
    noise: o.noise,
    cutout: o.cutout,
  });
}

/**
 * The light augmentation of the pretext tasks (RotNet, S4L, multi-task): a milder crop and
 * jitter than the two-view methods', no flip, no cutout; `cropScale` says what the crop is for.
 */
export function lightViewOptions(cropScale: string) {
  return {
    cropScale: cropScaleOption([0.6, 1], cropScale),
    jitter: { ...IMAGE_METHOD_OPTIONS.jitter, default: 0.2 },
    noise: IMAGE_METHOD_OPTIONS.noise,
  } satisfies OptionTable;
}

/** Options of the light augmentation ({@link lightViewOptions}). */
export type LightViewOptions = OptionsOf<ReturnType<typeof lightViewOptions>>;

/** The light view pipeline the options describe (the image defaults for everything else). */
export function buildLightViews(o: LightViewOptions) {
  return buildViews({
    ...optionDefaults(IMAGE_METHOD_OPTIONS),
    cropScale: o.cropScale,
    jitter: o.jitter,
    noise: o.noise,
  });
}
