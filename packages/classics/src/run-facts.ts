/**
 * What each classic's result (CRAR's, Becker-Hinton's) reports of its training run, taken from
 * core's `TrainResult`: the wall time, and the resume step and last checkpoint when there are any.
 */
import type { TrainResult } from '@autodidact/core';

/** The training run's part of a classic's result. */
export interface RunFacts {
  /** Wall time of the training loop, ms (this process's part, when resumed). */
  trainMs: number;
  /** The step a resumed run started from, when it resumed. */
  resumedFromStep?: number;
  /** The last checkpoint written, when `checkpointDir` was given. */
  checkpoint?: string;
}

/** The {@link RunFacts} of `r`. */
export function runFacts(r: TrainResult): RunFacts {
  return {
    trainMs: r.seconds * 1000,
    ...(r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {}),
    ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
  };
}
