/**
 * A tensor a method computes in `computeLoss` and uses only after the optimizer step, in
 * `afterStep`: keys to enqueue (MoCo), projections for a support set (NNCLR) or a closed-form
 * predictor (DirectPred), the next value of a running statistic (TiCo's covariance, DINO's
 * centre, SwAV's queue). The loss's tidy scope would dispose it; the carry keeps it, replaces it
 * if a step computes a new one before the last was taken, and disposes it once taken.
 */
import * as tf from '@tensorflow/tfjs';

export class StepCarry<T extends tf.Tensor> {
  private value: T | undefined;

  /** Keeps `t` (a tensor of this step's own, not a variable) for {@link take}, disposing any earlier one. */
  set(t: T): void {
    this.value?.dispose();
    this.value = tf.keep(t);
  }

  /** Runs `use` on the carried tensor, if there is one, then disposes it. */
  take(use: (t: T) => void): void {
    const t = this.value;
    if (!t) return;
    use(t);
    t.dispose();
    this.value = undefined;
  }

  dispose(): void {
    this.value?.dispose();
    this.value = undefined;
  }
}
