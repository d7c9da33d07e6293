import type * as tf from '@tensorflow/tfjs';
import { disposeParams, type ParamMap } from './params.js';

/** Owner of named variables: a net, a head, an encoder, a pretext task. */
export interface VariableOwner {
  /** Trainable variables, by stable name. */
  trainableVariables(): Map<string, tf.Variable>;
  /** Every variable incl. non-trainable state (batch-norm running statistics), by stable name. */
  allVariables(): Map<string, tf.Variable>;
  dispose(): void;
}

/**
 * A part whose variables all belong to one inner owner (a net module, the patch encoder of a
 * grid, a task's head): it lists and frees that owner's variables.
 */
export abstract class DelegatedVariables<T extends VariableOwner> implements VariableOwner {
  protected constructor(private readonly owner: T) {}

  trainableVariables(): Map<string, tf.Variable> {
    return this.owner.trainableVariables();
  }

  allVariables(): Map<string, tf.Variable> {
    return this.owner.allVariables();
  }

  dispose(): void {
    this.owner.dispose();
  }
}

/**
 * A part whose every variable is a trainable parameter it creates into one map (no batch-norm
 * statistics or other state): both variable lists are that map, and disposing frees it.
 */
export abstract class ParamOwner implements VariableOwner {
  /** The parameters by stable name, in creation order; subclasses create theirs into it. */
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
