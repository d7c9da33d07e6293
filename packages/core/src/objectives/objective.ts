import type * as tf from '@tensorflow/tfjs';

/**
 * A loss: `(outputs) -> scalar`, with its name and options. Objectives hold no training
 * state (EMA targets, queues and predictors live in the method), so the same instance
 * can be called from any step, and its value and gradient are tested against references.
 */
export interface Objective<I> {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The scalar loss. Does not dispose its inputs. */
  compute(inputs: I): tf.Scalar;
}
