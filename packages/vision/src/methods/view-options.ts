import type { Rng, NetEncoder, OptionSchema, OptionSpec } from '@autodidact/core';
import { defaultViewPipeline } from '../augment/views.js';
import { encoders } from '../encoders/registry.js';

/** The schema entry of a random-resized-crop area range `[min, max]` within [0, 1]. */
export function cropScaleSchema(description: string): OptionSpec {
  return { type: 'array', items: 'number', length: 2, min: 0, max: 1, description };
}

/**
 * Schema of the head's widths every two-view method takes (`hiddenDim`, `projectionDim` of
 * `TwoViewOptions`; SwAV's and DINO's heads have the same two): positive integers, each described
 * as the method uses it (projector, expander, key/query, the predictor's input).
 */
export function headWidthsSchema(
  hidden: string,
  projection: string,
): OptionSchema<{ hiddenDim: number; projectionDim: number }> {
  return {
    hiddenDim: { type: 'integer', min: 1, description: hidden },
    projectionDim: { type: 'integer', min: 1, description: projection },
  };
}

/**
 * Schema of `baseMomentum`, the momentum of an EMA copy (the two-view methods' `MomentumTarget`,
 * DINO's teacher) at step 0, raised to 1 over training by core's `cosineMomentum`: a number in [0, 1].
 */
export function baseMomentumSchema(description: string): OptionSpec {
  return { type: 'number', min: 0, max: 1, description };
}

/** The encoder options, alone for the methods that bring their own input (pretext tasks, data2vec, autoencoders). */
export const IMAGE_ENCODER_DEFAULTS = {
  /** Encoder kind (`conv-small`, `mlp`, `resnet18`). */
  encoder: 'conv-small',
  width: 16,
};

/** Options every image method shares: the encoder and the view pipeline. */
export const IMAGE_METHOD_DEFAULTS = {
  ...IMAGE_ENCODER_DEFAULTS,
  /**
   * Random-resized-crop area range. [0.5, 1]: a crop of 30% of a 28 px Fashion-MNIST item often
   * shows only a sleeve or a heel; at 200 steps x 64 on Fashion-MNIST, [0.5, 1] beat [0.3, 1] by
   * 0.006 (linear) / 0.007 (kNN) with SimCLR and 0.001 / 0.010 with BYOL.
   */
  cropScale: [0.5, 1] as [number, number],
  flip: false,
  jitter: 0.4,
  noise: 0.05,
  cutout: 0,
};

/** Type, bounds and meaning of each option of {@link IMAGE_ENCODER_DEFAULTS}. */
export const IMAGE_ENCODER_SCHEMA: OptionSchema<typeof IMAGE_ENCODER_DEFAULTS> = {
  encoder: { type: 'enum', choices: encoders.names(), description: 'Encoder kind.' },
  width: {
    type: 'integer',
    min: 1,
    description: 'First-stage width of conv-small (16: 16-32-64 channels, a 64-d embedding; CPU-sized for 28-32 px).',
  },
};

/** Type, bounds and meaning of each option of {@link IMAGE_METHOD_DEFAULTS}. */
export const IMAGE_METHOD_SCHEMA: OptionSchema<typeof IMAGE_METHOD_DEFAULTS> = {
  ...IMAGE_ENCODER_SCHEMA,
  cropScale: cropScaleSchema('Random-resized-crop area range.'),
  flip: { type: 'boolean', description: 'Horizontal flips (off: digits are not mirror-symmetric).' },
  jitter: { type: 'number', min: 0, description: 'Brightness/contrast jitter strength.' },
  noise: { type: 'number', min: 0, description: 'Std of additive Gaussian noise.' },
  cutout: { type: 'integer', min: 0, description: 'Cutout square side in pixels (0: off).' },
};

export type ImageMethodOptions = typeof IMAGE_METHOD_DEFAULTS;

/** Options of the encoder alone ({@link IMAGE_ENCODER_DEFAULTS}). */
export type ImageEncoderOptions = typeof IMAGE_ENCODER_DEFAULTS;

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
 * jitter than the two-view methods', no flip, no cutout.
 */
export const LIGHT_VIEW_DEFAULTS = {
  cropScale: [0.6, 1] as [number, number],
  jitter: 0.2,
  noise: 0.05,
};

/** Options of the light augmentation ({@link LIGHT_VIEW_DEFAULTS}). */
export type LightViewOptions = typeof LIGHT_VIEW_DEFAULTS;

/** Type, bounds and meaning of each option of {@link LIGHT_VIEW_DEFAULTS}; `cropScale` says what the crop is for. */
export function lightViewSchema(cropScale: string): OptionSchema<LightViewOptions> {
  return {
    cropScale: cropScaleSchema(cropScale),
    jitter: IMAGE_METHOD_SCHEMA.jitter,
    noise: IMAGE_METHOD_SCHEMA.noise,
  };
}

/** The light view pipeline the options describe (the image defaults for everything else). */
export function buildLightViews(o: LightViewOptions) {
  return buildViews({ ...IMAGE_METHOD_DEFAULTS, cropScale: o.cropScale, jitter: o.jitter, noise: o.noise });
}
