/**
 * A pretext task: a supervised problem made from unlabelled images (rotation, relative patch
 * position, jigsaw) that trains the shared encoder through a small head of its own. A
 * `PretextMethod` trains one encoder on a weighted sum of tasks: one task is RotNet, context
 * prediction or jigsaw; several is multi-task self-supervision (Doersch & Zisserman 2017).
 */
import {
  adamWarmupCosineDefaults,
  DelegatedVariables,
  type Encoder,
  type NetEncoder,
  type LossOutput,
  type Method,
  MlpHead,
  mergeVariables,
  type Rng,
  type StepContext,
  softmaxCrossEntropy,
  type TrainerOptions,
  type VariableOwner,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/**
 * The trainer settings of the rotation tasks (RotNet, multi-task, S4L): they see 4 rotations of
 * every image, so half the batch of the two-view methods.
 */
export const PRETEXT_TRAINER_DEFAULTS: Partial<TrainerOptions> = adamWarmupCosineDefaults(128, 2e-3);

/** The loss of a task on one batch and the head's accuracy at it. */
export interface TaskOutput {
  loss: tf.Scalar;
  /** Fraction of pretext labels the head got right. */
  accuracy: tf.Scalar;
}

/** A pretext task over a shared encoder; owns its head (variables under `<task>/`). */
export interface PretextTask extends VariableOwner {
  /** Name, also the prefix of its variables and metrics. */
  readonly name: string;
  /** Loss and accuracy of the task on a batch `[n, h, w, c]`; called inside the gradient tape. */
  run(encoder: NetEncoder, images: tf.Tensor4D, rng: Rng): TaskOutput;
}

/**
 * A classification head's loss and accuracy: `logits [n, classes]` against integer `labels`.
 */
export function classify(logits: tf.Tensor2D, labels: readonly number[]): TaskOutput {
  const loss = softmaxCrossEntropy(logits, labels);
  const accuracy = tf.tidy(
    () =>
      tf.mean(
        tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels as number[], 'int32')), 'float32'),
      ) as tf.Scalar,
  );
  return { loss, accuracy };
}

/** A classification head over `inputDim` features: MLP (hidden > 0) or linear (hidden 0). */
export function classifierHead(prefix: string, inputDim: number, hidden: number, classes: number, rng: Rng): MlpHead {
  return new MlpHead(prefix, inputDim, hidden, classes, rng);
}

/**
 * A pretext task whose only variables are its classification head (`<name>/`): rotation,
 * context prediction, jigsaw. Subclasses build the head in their constructor and define `run`.
 */
export abstract class HeadTask extends DelegatedVariables<MlpHead> implements PretextTask {
  abstract readonly name: string;

  constructor(readonly head: MlpHead) {
    super(head);
  }

  abstract run(encoder: NetEncoder, images: tf.Tensor4D, rng: Rng): TaskOutput;
}

/**
 * One encoder trained on a weighted sum of pretext tasks. The tasks train `trunk`; `encoder` is
 * how the method embeds an image (checkpointed, probed, exported): the trunk itself, or for the
 * patch tasks a `patch-grid` over it (encoders/patch-grid.ts), which owns the same variables.
 */
export class PretextMethod implements Method<tf.Tensor> {
  constructor(
    readonly name: string,
    /** The encoder the tasks apply to their inputs (whole images, patches or tiles). */
    readonly trunk: NetEncoder,
    /** The tasks and the weight of each one's loss. */
    readonly tasks: readonly { task: PretextTask; weight: number }[],
    readonly options: Readonly<Record<string, unknown>>,
    /** The embedding encoder, if not the trunk; its variables must be the trunk's. */
    readonly encoder: Encoder<tf.Tensor> = trunk,
  ) {}

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), ...this.tasks.map((t) => t.task.trainableVariables()));
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), ...this.tasks.map((t) => t.task.allVariables()));
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const metrics: Record<string, tf.Scalar> = {};
    const losses: tf.Scalar[] = [];
    for (const { task, weight } of this.tasks) {
      const out = task.run(this.trunk, batch as tf.Tensor4D, ctx.rng);
      losses.push(tf.mul(out.loss, weight));
      if (this.tasks.length > 1) metrics[`${task.name}/loss`] = out.loss;
      metrics[`${task.name}/accuracy`] = out.accuracy;
    }
    const loss = (losses.length === 1 ? losses[0]! : tf.addN(losses)) as tf.Scalar;
    return { loss, metrics };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    for (const { task } of this.tasks) task.dispose();
  }
}
