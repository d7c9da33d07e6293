/**
 * What every modality's data2vec method shares around {@link Data2VecTeacher}: a student encoder,
 * a second encoder of the same architecture as the EMA teacher, the variables the optimizer
 * trains (the student and the regression head) and those a checkpoint keeps (also the teacher's,
 * under `teacher/`), the EMA step after each optimizer step, and embeddings from the student.
 * A modality's method supplies the encoders, the masking and the forward passes
 * (`computeLoss`); nothing here knows what the encoders read.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { Data2VecTeacher, type Data2VecTeacherOptions } from './data2vec-teacher.js';
import type { Encoder } from './encoder.js';
import type { LossOutput, Method, StepContext } from './method.js';
import { mergeVariables, prefixed } from './variable-maps.js';

/**
 * Which variables of the encoders the teacher's EMA follows: `allVariables` (incl. non-trainable
 * state) or `trainableVariables` (a teacher that keeps its own batch-norm statistics).
 */
export type Data2VecEmaVariables = 'allVariables' | 'trainableVariables';

/** A data2vec method over encoders of type `E` with options `O`; subclasses write `computeLoss`. */
export abstract class Data2VecMethod<
  E extends Encoder,
  O extends Data2VecTeacherOptions & Readonly<Record<string, unknown>>,
> implements Method<tf.Tensor>
{
  readonly name = 'data2vec';
  readonly teacher: Data2VecTeacher;

  /**
   * @param encoder the student encoder (trained).
   * @param teacherEncoder an encoder of the same architecture; its weights become the student's.
   * @param dim width of the states the regression head maps.
   * @param emaVariables the variables the EMA follows.
   */
  protected constructor(
    readonly options: O,
    readonly encoder: E,
    protected readonly teacherEncoder: E,
    dim: number,
    emaVariables: Data2VecEmaVariables,
    rng: Rng,
  ) {
    this.teacher = new Data2VecTeacher(encoder[emaVariables](), teacherEncoder[emaVariables](), dim, options, rng);
  }

  abstract computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput;

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.teacher.head);
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.allVariables(),
      this.teacher.head,
      prefixed('teacher/', this.teacherEncoder.allVariables()),
    );
  }

  afterStep(ctx: StepContext): void {
    this.teacher.update(ctx);
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.teacherEncoder.dispose();
    this.teacher.dispose();
  }
}
