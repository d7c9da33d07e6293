import type * as tf from '@tensorflow/tfjs';
import type { Optimizer } from './optimizer.js';

/**
 * The optimizers of a Trainer's parameter groups seen as one: `state()` holds every group's
 * slots under the same `<param>/<slot>` names a single optimizer would use (parameter names
 * are unique across groups), so checkpoints look alike with and without groups. Each group
 * steps with its own learning rate through {@link GroupedOptimizer.stepGroups}.
 */
export class GroupedOptimizer implements Optimizer {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;

  /**
   * @param name the optimizer's name (all groups use the same kind)
   * @param groups one optimizer per trained group, in group order
   */
  constructor(
    name: string,
    readonly groups: readonly Optimizer[],
  ) {
    this.name = name;
    this.config = { groups: groups.map((g) => g.config) };
  }

  get stepCount(): number {
    return this.groups[0]?.stepCount ?? 0;
  }

  /** One update of every group, group `i` with learning rate `lrs[i]`; `grads` as in {@link Optimizer.step}. */
  stepGroups(grads: ReadonlyMap<string, tf.Tensor>, lrs: readonly number[]): void {
    for (const [i, g] of this.groups.entries()) g.step(grads, lrs[i]!);
  }

  /** One update of every group with the same learning rate. */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    for (const g of this.groups) g.step(grads, lr);
  }

  state(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const g of this.groups) for (const [k, v] of g.state()) out.set(k, v);
    return out;
  }

  loadState(tensors: ReadonlyMap<string, tf.Tensor>, stepCount: number, source?: string): void {
    for (const g of this.groups) g.loadState(tensors, stepCount, source);
  }

  dispose(): void {
    for (const g of this.groups) g.dispose();
  }
}
