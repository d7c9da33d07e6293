/**
 * A network part whose every variable is a trainable parameter it creates into one map (no
 * batch-norm statistics or other state): both variable lists are that map, and disposing frees it.
 */
import { disposeParams, type ParamMap } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';

/** Owns `params`; subclasses create their parameters into it. */
export abstract class ParamOwner {
  protected readonly params: ParamMap = new Map();

  trainableVariables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  allVariables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
