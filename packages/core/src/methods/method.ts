import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import type { BatchSizeMinimum } from './batch-size-minimum.js';
import type { Encoder } from './encoder.js';

/** What the trainer tells a method about the current step. */
export interface StepContext {
  /** Optimizer steps completed before this one (0-based). */
  step: number;
  /** Planned total steps of the run (for schedules such as the EMA momentum). */
  totalSteps: number;
  epoch: number;
  /** The run's generator: augmentations and masks draw from it so runs are reproducible. */
  rng: Rng;
}

/** The loss of one batch and named scalar metrics to log beside it. */
export interface LossOutput {
  loss: tf.Scalar;
  /** Extra scalars (e.g. `accuracy` of a pretext task, `std` of embeddings). */
  metrics?: Record<string, tf.Scalar>;
}

/**
 * A self-supervised method: composes an encoder, heads, view generation and an objective.
 * The trainer owns the loop and the optimizer; a method says what the loss of a batch is
 * and what happens after each optimizer step (EMA targets, queues, closed-form predictors).
 */
export interface Method<B = tf.Tensor> {
  /** Registered name (`simclr`, `byol`, ...). */
  readonly name: string;
  readonly encoder: Encoder<B>;
  /** Options the method was built with (plain JSON, saved in checkpoints). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Smallest batch the method learns from; none: any size. */
  readonly minBatchSize?: BatchSizeMinimum;
  /** Variables the optimizer updates (encoder + heads), by stable name. */
  trainableVariables(): Map<string, tf.Variable>;
  /**
   * Every variable a checkpoint must hold to resume exactly: trainable ones, batch-norm
   * statistics, EMA targets, queues, closed-form predictors.
   */
  stateVariables(): Map<string, tf.Variable>;
  /** Scalar loss of a batch. Called inside the trainer's gradient tape. */
  computeLoss(batch: B, ctx: StepContext): LossOutput;
  /** Runs after each optimizer step, outside the tape (EMA update, DirectPred, queue push). */
  afterStep?(ctx: StepContext): void;
  /** Frozen embeddings for evaluation, `[batch, dim]` (inference mode). */
  embed(batch: B): tf.Tensor2D;
  dispose(): void;
}
