import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../../errors.js';

/**
 * An optimizer over named variables with explicit, serialisable state: slot variables
 * (moments, momentum buffers) named `<param>/<slot>` and a step count. A checkpoint stores
 * `state()` and `stepCount`; `loadState` puts them back, so a resumed run continues exactly.
 * The learning rate is passed to every `step`, so schedules live outside the optimizer.
 */
export interface Optimizer {
  /** `adam`, `adamw`, `sgd` or `lars`. */
  readonly name: string;
  /** Hyper-parameters as plain JSON (saved in checkpoints). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Optimizer steps taken so far. */
  readonly stepCount: number;
  /**
   * One update with learning rate `lr`. `grads` maps parameter names to gradients of the
   * same shape; parameters without a gradient keep their value and their slots (as in torch).
   * Does not dispose `grads`.
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void;
  /** Slot variables by `<param>/<slot>` name (live variables: copy before mutating). */
  state(): Map<string, tf.Variable>;
  /**
   * Restore slots and step count from tensors named like `state()`; a missing slot or a
   * shape mismatch is a CheckpointError naming `source`.
   */
  loadState(tensors: ReadonlyMap<string, tf.Tensor>, stepCount: number, source?: string): void;
  /** Free the slot variables (not the parameters). */
  dispose(): void;
}

/** What a concrete optimizer computes for one parameter in one step. */
export interface ParamUpdate {
  /** New parameter value. */
  param: tf.Tensor;
  /** New slot values, by slot name. */
  slots: Record<string, tf.Tensor>;
}

/**
 * Heavy-ball momentum as torch applies it (no dampening): the buffer becomes `mu buf + step`,
 * and the parameter moves by the new buffer, or with Nesterov by `mu buf + step` again.
 */
export function momentumStep(
  buf: tf.Tensor,
  step: tf.Tensor,
  mu: number,
  nesterov: boolean,
): { buf: tf.Tensor; delta: tf.Tensor } {
  const next = buf.mul(mu).add(step);
  return { buf: next, delta: nesterov ? next.mul(mu).add(step) : next };
}

/**
 * Shared machinery: one zero-initialised slot variable per parameter and slot name, created
 * eagerly (so a checkpoint can be loaded before the first step), a step counter, and the
 * tidy/assign loop. Subclasses only say how one parameter is updated.
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly name: string;
  abstract readonly config: Readonly<Record<string, unknown>>;
  private readonly slotVars = new Map<string, Map<string, tf.Variable>>();
  private steps = 0;

  /**
   * @param params the variables to optimise, by stable name
   * @param slotNames slot names every parameter gets (e.g. `m`, `v`)
   */
  protected constructor(
    protected readonly params: ReadonlyMap<string, tf.Variable>,
    protected readonly slotNames: readonly string[],
  ) {
    for (const [name, p] of params) {
      const slots = new Map<string, tf.Variable>();
      for (const s of slotNames) {
        slots.set(
          s,
          tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
        );
      }
      this.slotVars.set(name, slots);
    }
  }

  get stepCount(): number {
    return this.steps;
  }

  /**
   * The update of one parameter at step `t` (1-based, counting this step). Runs inside tf.tidy.
   */
  protected abstract update(
    name: string,
    param: tf.Variable,
    grad: tf.Tensor,
    slots: ReadonlyMap<string, tf.Variable>,
    lr: number,
    t: number,
  ): ParamUpdate;

  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    const t = this.steps + 1;
    for (const [name, param] of this.params) {
      const grad = grads.get(name);
      if (!grad) continue;
      const slots = this.slotVars.get(name)!;
      tf.tidy(() => {
        const u = this.update(name, param, grad, slots, lr, t);
        for (const [s, v] of slots) {
          const next = u.slots[s];
          if (next) v.assign(next);
        }
        param.assign(u.param);
      });
    }
    this.steps = t;
  }

  state(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, slots] of this.slotVars) {
      for (const [s, v] of slots) out.set(`${name}/${s}`, v);
    }
    return out;
  }

  loadState(tensors: ReadonlyMap<string, tf.Tensor>, stepCount: number, source = 'optimizer state'): void {
    if (!Number.isInteger(stepCount) || stepCount < 0) {
      throw new CheckpointError(`optimizer step count must be a non-negative integer, got ${stepCount}`, {
        path: source,
      });
    }
    const state = this.state();
    for (const [key, v] of state) {
      const t = tensors.get(key);
      if (!t) throw new CheckpointError(`no ${this.name} slot '${key}'`, { path: source });
      if (!tf.util.arraysEqual(t.shape, v.shape)) {
        throw new CheckpointError(`${this.name} slot '${key}' has shape [${t.shape}], expected [${v.shape}]`, {
          path: source,
        });
      }
    }
    for (const [key, v] of state) v.assign(tensors.get(key)!);
    this.steps = stepCount;
  }

  dispose(): void {
    for (const slots of this.slotVars.values()) for (const v of slots.values()) v.dispose();
    this.slotVars.clear();
  }
}
