/**
 * What the masked, causal and SimCSE text methods share: a transformer text encoder and the
 * method's own head variables, trained together and saved together (no other state), the
 * encoder's pooled states as embeddings, and disposal of both.
 */
import type { LossOutput, Method, ParamMap, StepContext } from '@autodidact/core';
import { mergeVariables } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import type { LmOptions } from './lm-options.js';

/** A text method over `encoder` plus `head`; subclasses create the head's variables and write `computeLoss`. */
export abstract class TextEncoderAndHead<O extends LmOptions> implements Method<tf.Tensor> {
  abstract readonly name: string;
  /** The method's own variables (LM bias, MLP), by name. */
  readonly head: ParamMap = new Map();

  protected constructor(
    readonly options: O,
    readonly encoder: TransformerTextEncoder,
  ) {}

  abstract computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput;

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.head);
  }

  stateVariables(): Map<string, tf.Variable> {
    return this.trainableVariables();
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    for (const v of this.head.values()) v.dispose();
  }
}
