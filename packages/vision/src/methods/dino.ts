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
  dinoCenterUpdate,
  dinoLoss,
  dinoTeacherTemperature,
  emaUpdate,
  type LossOutput,
  type NetEncoder,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { CosineLayer } from './cosine-layer.js';
import { MomentumTarget, MULTI_CROP_OPTIONS, TwoViewMethod } from './two-views.js';
import {
  baseMomentumOption,
  headWidths,
  IMAGE_METHOD_OPTIONS,
  visionMethod,
  WIDE_IMAGE_ENCODER_OPTIONS,
} from './view-options.js';

/** DINO's options: type, bounds, meaning and default of each (docs/methods/dino.md). */
export const DINO_OPTIONS = {
  ...IMAGE_METHOD_OPTIONS,
  width: WIDE_IMAGE_ENCODER_OPTIONS.width,
  ...MULTI_CROP_OPTIONS,
  ...headWidths(
    256,
    64,
    'Head hidden width.',
    'Head bottleneck width (before the L2 normalisation and the last layer).',
  ),
  localCrops: {
    type: 'integer',
    default: 4,
    min: 0,
    description: 'Local crops per image (multi-crop; the paper uses 8 at ImageNet scale).',
  },
  outDim: {
    type: 'integer',
    default: 1024,
    min: 1,
    description: "Outputs of the last layer K (the paper's 65,536 is for ImageNet).",
  },
  studentTemperature: { type: 'number', default: 0.1, above: 0, description: 'Student temperature tau_s.' },
  teacherTemperatureStart: { type: 'number', default: 0.04, above: 0, description: 'Teacher temperature at step 0.' },
  teacherTemperature: {
    type: 'number',
    default: 0.07,
    above: 0,
    description: 'Teacher temperature after the warm-up.',
  },
  teacherWarmupSteps: {
    type: 'integer',
    default: 50,
    min: 0,
    description: 'Steps of the linear teacher temperature warm-up.',
  },
  centerMomentum: { type: 'number', default: 0.9, min: 0, max: 1, description: "Momentum of the centre's EMA." },
  baseMomentum: baseMomentumOption(0.996, 'Teacher EMA momentum at step 0 (raised to 1 on a cosine schedule).'),
} satisfies OptionTable;
/** Options of {@link DINO}. */
export type DINOOptions = OptionsOf<typeof DINO_OPTIONS>;

/** `--method dino`. */
export const DINO_METHOD = visionMethod({
  name: 'dino',
  summary: 'DINO: multi-crop self-distillation, EMA teacher centred and sharpened (Caron et al. 2021)',
  options: DINO_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: 'its head normalises over the images of the batch (batch norm) and its centre is a batch mean',
  },
  create: ({ sampleShape, options, rng }) => new DINO(sampleShape, options, rng),
});

/** DINO: multi-crop student, EMA teacher, centring and sharpening. */
export class DINO extends TwoViewMethod<DINOOptions> {
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
    super(DINO_METHOD, options, sampleShape, rng);
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
    this.center = this.addStateVariable('dino/center', () => tf.zeros([o.outDim]));
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
    const { global, all } = this.acrossCrops(batch, ctx.rng, (x) => this.student(x));
    const student = tf.reshape(all, [-1, n, o.outDim]) as tf.Tensor3D;
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
    const m = this.teacher.followSchedule(ctx);
    emaUpdate(new Map([['last', this.teacherLast.weight]]), new Map([['last', this.last.weight]]), m);
    this.lastTeacher.take((t) =>
      this.center.assign(dinoCenterUpdate(this.center as tf.Tensor1D, t, this.options.centerMomentum)),
    );
  }
}
