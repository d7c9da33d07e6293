/**
 * data2vec for images (Baevski et al. 2022, "data2vec: A General Framework for Self-supervised
 * Learning in Speech, Vision and Language", sec. 3 and 4.1) on the conv encoders: the student
 * sees the image with square patches hidden (MAE's masking, autoencoder.ts `patchMask`, zeroed
 * pixels) and a linear regression head on its final feature map predicts, at the hidden
 * positions, the layer-normed final feature map of an EMA teacher that sees the whole image.
 *
 * What differs from the paper (a ViT-B whose top K = 6 of 12 blocks are averaged, BEiT block
 * masking of 60% of the 16 px patches): the conv encoder's stages differ in width and resolution,
 * so their outputs cannot be averaged position by position; the target is the last stage's map
 * (K = 1), one position per `cell` x `cell` square, where `cell` is the encoder's total stride
 * (4 px for conv-small on 28 px images: a 7 x 7 grid), and the masked squares are exactly those
 * cells. The conv encoder was kept (rather than a patch transformer) because it is what every
 * other vision method and the protocol's random-init baseline use, so the comparison is like
 * for like. The teacher runs with batch statistics, as BYOL's target does.
 */
import {
  ConfigError,
  DATA2VEC_COMMON_OPTIONS,
  Data2VecMethod,
  data2vecNormOption,
  type NetEncoder,
  type NetShape,
  type LossOutput,
  type Rng,
  type StepContext,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { patchMask } from './autoencoder.js';
import { buildEncoder, visionMethod, WIDE_IMAGE_ENCODER_OPTIONS } from './view-options.js';

/** data2vec's image options: type, bounds, meaning and default of each (docs/methods/data2vec.md). */
export const DATA2VEC_VISION_OPTIONS = {
  ...DATA2VEC_COMMON_OPTIONS,
  ...WIDE_IMAGE_ENCODER_OPTIONS,
  maskRatio: {
    type: 'number',
    default: 0.6,
    min: 0,
    max: 1,
    description: "Share of the cells hidden from the student (the paper's 60%).",
  },
  layerNorm: data2vecNormOption(
    'layer',
    "Norm of the teacher's map: `layer` (over channels, per position) for images.",
  ),
  topK: {
    type: 'integer',
    default: 1,
    min: 1,
    description: 'Teacher blocks averaged; 1 with conv encoders (see the file header).',
  },
} satisfies OptionTable;
/** Options of {@link Data2VecVision}. */
export type Data2VecVisionOptions = OptionsOf<typeof DATA2VEC_VISION_OPTIONS>;

/** `--method data2vec`. */
export const DATA2VEC_VISION_METHOD = visionMethod({
  name: 'data2vec',
  summary: "data2vec: regress an EMA teacher's layer-normed feature map at MAE-masked squares (Baevski et al. 2022)",
  options: DATA2VEC_VISION_OPTIONS,
  create: ({ sampleShape, options, rng }) => new Data2VecVision(sampleShape, options, rng),
});

/** The final feature map (the input of the encoder's last, global-pooling layer) and its shape. */
function featureMap(encoder: NetEncoder): { shape: NetShape; apply(x: tf.Tensor, training: boolean): tf.Tensor4D } {
  const layer = encoder.net.layerNames.at(-2)!;
  return {
    shape: encoder.net.shapeOf(layer),
    apply: (x, training) => encoder.net.applyTo(x, training, layer) as tf.Tensor4D,
  };
}

/** data2vec image pretraining: see the file header. */
export class Data2VecVision extends Data2VecMethod<NetEncoder, Data2VecVisionOptions> {
  private readonly studentMap: ReturnType<typeof featureMap>;
  private readonly teacherMap: ReturnType<typeof featureMap>;
  /** Side of a masked square in pixels (the encoder's stride). */
  readonly cell: number;

  constructor(sampleShape: number[], options: Record<string, unknown>, rng: Rng) {
    const o = DATA2VEC_VISION_METHOD.resolve(options);
    if (!(o.maskRatio > 0 && o.maskRatio < 1)) {
      throw new ConfigError(`expected a fraction in (0, 1), got ${o.maskRatio}`, { field: 'maskRatio' });
    }
    if (o.topK !== 1) {
      throw new ConfigError(`conv encoders give one target map (stages differ in shape); got ${o.topK}`, {
        field: 'topK',
      });
    }
    const encoder = buildEncoder(o, sampleShape, rng);
    const teacherEncoder = buildEncoder(o, sampleShape, rng);
    const studentMap = featureMap(encoder);
    const teacherMap = featureMap(teacherEncoder);
    const [fh, fw, c] = studentMap.shape as number[] as [number, number, number];
    const [h, w] = sampleShape as [number, number];
    const cell = h / fh;
    if (!(Number.isInteger(cell) && fw * cell === w)) {
      throw new ConfigError(`images of ${h}x${w} do not tile into the encoder's ${fh}x${fw} map`, {
        field: 'sampleShape',
      });
    }
    // The teacher follows the student's weights only; it keeps its own batch statistics.
    super(o, encoder, teacherEncoder, c, 'trainableVariables', rng);
    this.studentMap = studentMap;
    this.teacherMap = teacherMap;
    this.cell = cell;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const [n, h, w] = batch.shape as [number, number, number, number];
    return tf.tidy(() => {
      const keep = patchMask(n, h, w, this.cell, this.options.maskRatio, ctx.rng); // [n, h, w, 1]
      // One value per cell: 1 where the cell is hidden.
      const masked = tf.sub(1, tf.avgPool(keep, this.cell, this.cell, 'valid'));
      const student = this.studentMap.apply(tf.mul(batch, keep), true);
      const target = this.teacherMap.apply(batch, true);
      const [, fh, fw, c] = student.shape;
      const flat = (t: tf.Tensor4D) => tf.reshape(t, [n, fh * fw, c]) as tf.Tensor3D;
      const mask = tf.reshape(masked, [n, fh * fw]) as tf.Tensor2D;
      return this.teacher.loss(flat(student), [flat(target)], mask, this.teacher.momentum(ctx));
    });
  }
}
