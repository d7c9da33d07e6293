/**
 * DINO (Caron, Touvron, Misra, Jégou, Mairal, Bojanowski & Joulin 2021, "Emerging Properties in
 * Self-Supervised Vision Transformers", sec. 3.1, eq. 1-4, Algorithm 1): self-distillation with
 * no labels. A student (encoder + DINO head) sees 2 global and `localCrops` local crops of each
 * image; a teacher, the EMA of the student (momentum 0.996 -> 1 on a cosine schedule), sees only
 * the 2 global crops. The teacher's output is centred (c, an EMA of its batch means, momentum
 * 0.9) and sharpened (temperature warmed up from `teacherTemperatureStart` to
 * `teacherTemperature` over `teacherWarmupSteps`); the student (temperature 0.1) predicts it by
 * cross-entropy over every (teacher crop, other student crop) pair ({@link dinoLoss}).
 *
 * DINO head: the MLP head (dense - batch norm - ReLU - dense to a `projectionDim` bottleneck;
 * the paper's head has 3 layers with GELU and no batch norm, ours is the projector the other
 * two-view methods use), L2-normalised, then a weight-normalised linear layer with its gain
 * fixed to 1 (norm_last_layer) to `outDim` outputs ({@link CosineLayer}).
 *
 * State that survives a checkpoint: the teacher (`teacher/`, incl. its last layer), the centre
 * (`dino/center`).
 */
import {
  adoptParam,
  cosineMomentum,
  dinoCenterUpdate,
  dinoLoss,
  dinoTeacherTemperature,
  emaUpdate,
  type BatchSizeMinimum,
  type NetEncoder,
  type LossOutput,
  type Rng,
  type StepContext,
  type OptionSchema,
  resolveOptions,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { CosineLayer } from './cosine-layer.js';
import { MomentumTarget, MULTI_CROP_DEFAULTS, MULTI_CROP_SCHEMA, multiCropViews, TwoViewMethod } from './two-views.js';
import { baseMomentumSchema, headWidthsSchema, IMAGE_METHOD_DEFAULTS, IMAGE_METHOD_SCHEMA } from './view-options.js';

/** DINO's options and their defaults (docs/methods/dino.md). */
export const DINO_DEFAULTS = {
  ...IMAGE_METHOD_DEFAULTS,
  ...MULTI_CROP_DEFAULTS,
  localCrops: 4,
  hiddenDim: 256,
  projectionDim: 64,
  outDim: 1024,
  studentTemperature: 0.1,
  teacherTemperatureStart: 0.04,
  teacherTemperature: 0.07,
  teacherWarmupSteps: 50,
  centerMomentum: 0.9,
  baseMomentum: 0.996,
};

/** Type, bounds and meaning of each option of {@link DINO_DEFAULTS}. */
export const DINO_SCHEMA: OptionSchema<typeof DINO_DEFAULTS> = {
  ...IMAGE_METHOD_SCHEMA,
  ...MULTI_CROP_SCHEMA,
  localCrops: {
    type: 'integer',
    min: 0,
    description: 'Local crops per image (multi-crop; the paper uses 8 at ImageNet scale).',
  },
  ...headWidthsSchema('Head hidden width.', 'Head bottleneck width (before the L2 normalisation and the last layer).'),
  outDim: { type: 'integer', min: 1, description: "Outputs of the last layer K (the paper's 65,536 is for ImageNet)." },
  studentTemperature: { type: 'number', above: 0, description: 'Student temperature tau_s.' },
  teacherTemperatureStart: { type: 'number', above: 0, description: 'Teacher temperature at step 0.' },
  teacherTemperature: { type: 'number', above: 0, description: 'Teacher temperature after the warm-up.' },
  teacherWarmupSteps: { type: 'integer', min: 0, description: 'Steps of the linear teacher temperature warm-up.' },
  centerMomentum: { type: 'number', min: 0, max: 1, description: "Momentum of the centre's EMA." },
  baseMomentum: baseMomentumSchema('Teacher EMA momentum at step 0 (raised to 1 on a cosine schedule).'),
};
/** Options of {@link DINO}. */
export type DINOOptions = typeof DINO_DEFAULTS;

export const DINO_MIN_BATCH: BatchSizeMinimum = {
  size: 2,
  reason: 'its head normalises over the images of the batch (batch norm) and its centre is a batch mean',
};

/** DINO: multi-crop student, EMA teacher, centring and sharpening. */
export class DINO extends TwoViewMethod<DINOOptions> {
  readonly name = 'dino';
  readonly minBatchSize = DINO_MIN_BATCH;
  /** The student's weight-normalised last layer. */
  readonly last: CosineLayer;
  /** The teacher: encoder and head MLP by EMA (checkpointed under `teacher/`). */
  readonly teacher: MomentumTarget;
  /** The teacher's last layer (EMA of the student's). */
  readonly teacherLast: CosineLayer;
  /** The centre c `[outDim]`. */
  readonly center: tf.Variable;
  private readonly objective;
  /** Teacher outputs of the last batch `[2N, K]`, for the centre update after the step. */
  private readonly lastTeacher = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<DINOOptions>, rng: Rng) {
    super(resolveOptions('dino', DINO_SCHEMA, DINO_DEFAULTS, options), sampleShape, rng);
    const o = this.options;
    this.last = this.addTrained(new CosineLayer('head/last', o.projectionDim, o.outDim, 'weight-norm', rng), (l) =>
      l.variables(),
    );
    this.teacher = this.addKept(new MomentumTarget(this, o, sampleShape, rng, 'teacher/'));
    this.teacherLast = this.addKept(
      new CosineLayer('teacher/head/last', o.projectionDim, o.outDim, 'weight-norm', rng),
      (l) => l.variables(),
    );
    this.teacherLast.weight.assign(this.last.weight);
    const state = this.addState(new Map());
    this.center = adoptParam(state, 'dino/center', () => tf.zeros([o.outDim]), { trainable: false });
    this.objective = dinoLoss({ studentTemperature: o.studentTemperature, teacherTemperature: o.teacherTemperature });
  }

  /** The teacher's encoder. */
  get teacherEncoder(): NetEncoder {
    return this.teacher.encoder;
  }

  /** Student head outputs of crops `x`. */
  private student(x: tf.Tensor): tf.Tensor2D {
    return this.last.apply(this.projector.apply(this.encoder.apply(x, true), true));
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const o = this.options;
    const n = batch.shape[0]!;
    const { global, local } = multiCropViews(batch, this.views, o, ctx.rng);
    const s = [this.student(global)];
    if (local) s.push(this.student(local));
    const student = tf.reshape(tf.concat(s, 0), [-1, n, o.outDim]) as tf.Tensor3D;
    const t = tf.tidy(() => this.teacherLast.apply(this.teacher.project(global)));
    const teacher = tf.reshape(t, [2, n, o.outDim]) as tf.Tensor3D;
    const teacherTemperature = dinoTeacherTemperature(
      ctx.step,
      o.teacherWarmupSteps,
      o.teacherTemperatureStart,
      o.teacherTemperature,
    );
    const loss = this.objective.compute({
      student,
      teacher,
      center: this.center as tf.Tensor1D,
      teacherTemperature,
    });
    this.lastTeacher.set(t.clone());
    // Teacher entropy (sharpness) of the centred, sharpened targets: ln K when uniform, 0 when one-hot.
    const metrics = tf.tidy(() => {
      const p = tf.softmax(tf.div(tf.sub(t, this.center), teacherTemperature));
      return { teacherEntropy: tf.mean(tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-12))), 1))) as tf.Scalar };
    });
    return { loss, metrics };
  }

  /** Teacher follows the student (EMA), then the centre follows the teacher's batch mean. */
  afterStep(ctx: StepContext): void {
    const m = cosineMomentum(ctx.step, ctx.totalSteps, this.options.baseMomentum);
    this.teacher.follow(m);
    emaUpdate(new Map([['last', this.teacherLast.weight]]), new Map([['last', this.last.weight]]), m);
    this.lastTeacher.take((t) =>
      this.center.assign(dinoCenterUpdate(this.center as tf.Tensor1D, t, this.options.centerMomentum)),
    );
  }
}
