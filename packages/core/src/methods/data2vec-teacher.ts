/**
 * data2vec's teacher and student head (Baevski, Hsu, Xu, Babu, Gu & Auli 2022, "data2vec: A
 * General Framework for Self-supervised Learning in Speech, Vision and Language", sec. 3.2-3.4):
 *
 *   Delta <- tau Delta + (1 - tau) theta          teacher = EMA of the student encoder
 *   tau_k = tau_0 + (tau_e - tau_0) k / K         linear from tau_0 to tau_e over the run
 *   y_t   = 1/K' sum_{top K' blocks} norm(a_t^l)  teacher on the unmasked input (data2vecTargets)
 *   L     = data2vecLoss(head(f_t), y_t) over masked t
 *
 * The modality methods own the encoders and the masking: they build a second encoder of the same
 * architecture as the teacher and hand both variable maps here. The teacher's weights are state
 * (saved in checkpoints under `teacher/`), never trained by the optimizer.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { initLinear, linear } from '../nn/linear.js';
import { disposeParams, type ParamMap } from '../nn/params.js';
import { type Data2VecNorm, data2vecLoss, data2vecTargets } from '../objectives/data2vec-loss.js';
import type { Rng } from '../random/rng.js';
import { emaUpdate } from './ema.js';
import type { LossOutput, StepContext } from './method.js';
import { stopGradient } from './stop-gradient.js';
import type { OptionEntry, OptionTable } from './option-schema.js';

/**
 * What {@link Data2VecTeacher.loss} returns: a {@link LossOutput} written as a type literal, so it
 * can also be the value of a `tf.tidy` scope.
 */
export type Data2VecLoss = { loss: tf.Scalar; metrics: { targetStd: tf.Scalar; momentum: tf.Scalar } };

/** Options of {@link Data2VecTeacher} shared by the three modalities. */
export interface Data2VecTeacherOptions {
  /** EMA momentum at the first step (tau_0). */
  tau0: number;
  /** EMA momentum at the end of the run (tau_e). */
  tauEnd: number;
  /** Teacher blocks averaged into the target (K); clamped to the encoder's depth. */
  topK: number;
  /** Parameter-less norm of each block output before averaging. */
  layerNorm: Data2VecNorm;
  /** Parameter-less norm of the average. */
  targetNorm: Data2VecNorm;
  /** Smooth-L1 width beta of the loss (0: squared error). */
  beta: number;
  /** Loss scale (0: 1/sqrt(D), the objective's default). */
  lossScale: number;
}

/**
 * Linear EMA momentum: `tau0 + (tauEnd - tau0) * step / totalSteps`, clamped to the run.
 * @throws ConfigError for momenta outside [0, 1] or a non-positive totalSteps.
 */
export function linearMomentum(step: number, totalSteps: number, tau0: number, tauEnd: number): number {
  for (const [field, v] of [
    ['tau0', tau0],
    ['tauEnd', tauEnd],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0 && v <= 1))
      throw new ConfigError(`expected a number in [0, 1], got ${v}`, { field });
  }
  if (!(Number.isFinite(totalSteps) && totalSteps > 0)) {
    throw new ConfigError(`expected a positive number, got ${totalSteps}`, { field: 'linearMomentum.totalSteps' });
  }
  const k = Math.min(Math.max(step, 0), totalSteps);
  return tau0 + ((tauEnd - tau0) * k) / totalSteps;
}

/**
 * The EMA teacher of a student encoder plus the student's regression head. Construction copies
 * the student's weights into the teacher; {@link update} moves it after every optimizer step.
 */
export class Data2VecTeacher {
  /** The regression head `head/data2vec/{kernel,bias}` `[dim, dim]` (trainable). */
  readonly head: ParamMap = new Map();
  private readonly objective;

  /**
   * @param student the student encoder's variables (all of them, incl. non-trainable state).
   * @param teacher a second encoder's variables under the same names and shapes; overwritten.
   * @param dim width of the block outputs (and of the head).
   * @throws ConfigError when the maps differ or an option is out of range.
   */
  constructor(
    readonly student: Map<string, tf.Variable>,
    readonly teacher: Map<string, tf.Variable>,
    dim: number,
    readonly options: Data2VecTeacherOptions,
    rng: Rng,
  ) {
    linearMomentum(0, 1, options.tau0, options.tauEnd); // validates the momenta
    if (!(Number.isInteger(options.topK) && options.topK >= 1)) {
      throw new ConfigError(`expected an integer >= 1, got ${options.topK}`, { field: 'topK' });
    }
    emaUpdate(teacher, student, 0); // checks names and shapes, copies
    initLinear(this.head, 'head/data2vec', dim, dim, rng);
    this.objective = data2vecLoss({
      beta: options.beta,
      ...(options.lossScale > 0 ? { scale: options.lossScale } : {}),
    });
  }

  /** EMA momentum at a step of the run. */
  momentum(ctx: Pick<StepContext, 'step' | 'totalSteps'>): number {
    return linearMomentum(ctx.step, Math.max(ctx.totalSteps, 1), this.options.tau0, this.options.tauEnd);
  }

  /** Moves the teacher towards the student (call after each optimizer step). */
  update(ctx: Pick<StepContext, 'step' | 'totalSteps'>): void {
    emaUpdate(this.teacher, this.student, this.momentum(ctx));
  }

  /** The teacher's variables as checkpoint state, `teacher/<student name>`. */
  stateVariables(): Map<string, tf.Variable> {
    return new Map([...this.teacher].map(([k, v]) => [`teacher/${k}`, v]));
  }

  /** Targets `[B, T, D]` from the teacher's block outputs (gradient stopped); K clamped to the depth. */
  targets(blocks: readonly tf.Tensor3D[]): tf.Tensor3D {
    return data2vecTargets(
      blocks.map((b) => stopGradient(b) as tf.Tensor3D),
      {
        topK: Math.min(this.options.topK, blocks.length),
        layerNorm: this.options.layerNorm,
        targetNorm: this.options.targetNorm,
      },
    );
  }

  /**
   * The loss of a batch: head of the student's final states `[B, T, D]` regressed onto the targets
   * of the teacher's blocks at the masked positions `mask [B, T]` (1 = masked). Metrics: the
   * targets' standard deviation over the batch (collapse shows as 0) and the momentum.
   */
  loss(
    studentStates: tf.Tensor3D,
    teacherBlocks: readonly tf.Tensor3D[],
    mask: tf.Tensor2D,
    momentum: number,
  ): Data2VecLoss {
    return tf.tidy(() => {
      const target = this.targets(teacherBlocks);
      const prediction = linear(this.head, 'head/data2vec', studentStates) as tf.Tensor3D;
      const loss = this.objective.compute({ prediction, target, mask });
      const [b, t, d] = target.shape;
      const flat = tf.reshape(target, [b * t, d]);
      const targetStd = tf.mean(tf.sqrt(tf.add(tf.moments(flat, 0).variance, 1e-12))) as tf.Scalar;
      return { loss, metrics: { targetStd, momentum: tf.scalar(momentum) } };
    });
  }

  dispose(): void {
    disposeParams(this.head);
  }
}

/** Options common to the three modalities (the paper's ranges, shortened for CPU runs). */
export const DATA2VEC_COMMON_OPTIONS = {
  tau0: {
    type: 'number',
    default: 0.99,
    min: 0,
    max: 1,
    description: 'EMA momentum at the start (paper: 0.999; lower here because runs are hundreds of steps, not 400k).',
  },
  tauEnd: { type: 'number', default: 0.999, min: 0, max: 1, description: 'EMA momentum at the end (paper: 0.9999).' },
  beta: { type: 'number', default: 0, min: 0, description: 'Smooth-L1 width beta (0: squared error).' },
  lossScale: { type: 'number', default: 0, min: 0, description: 'Loss scale (0: 1/sqrt(D)).' },
  targetNorm: data2vecNormOption('none', 'Norm of the averaged target: `none`, `layer` or `instance`.'),
} satisfies OptionTable;

/** A {@link Data2VecNorm} option (`none`, `layer` or `instance`). */
export function data2vecNormOption(value: Data2VecNorm, description: string): OptionEntry<Data2VecNorm> {
  return { type: 'enum', choices: ['none', 'layer', 'instance'], default: value, description };
}
