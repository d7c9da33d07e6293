/**
 * The exact-resume check every stateful method's tests make: a run interrupted after a checkpoint
 * and resumed from it ends with the same losses and the same state variables (weights, teachers,
 * queues, running statistics) as one run straight through, bit for bit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import {
  type Dataset,
  type Method,
  type StreamingDataset,
  Trainer,
  type TrainerOptions,
  type TrainResult,
} from '../index.js';
import { type RecordedFit, recordedFit } from './recorded-fit.js';

/** Every state variable's values, by name. */
export function stateValues(m: { stateVariables(): Map<string, tf.Variable> }): Map<string, number[]> {
  return new Map([...m.stateVariables()].map(([k, v]) => [k, Array.from(v.dataSync())]));
}

export interface ExactResumeRun<B> {
  /** Builds the method of the straight run and of the interrupted one (the same initial values). */
  build: () => Method<B>;
  /** Builds the method the resumed run restores into; defaults to `build`. Other initial values prove that everything comes from the checkpoint. */
  rebuild?: () => Method<B>;
  data: Dataset<B> | StreamingDataset<B>;
  /** The run's options, `steps` included; `checkpointDir` is set here. */
  options: Partial<TrainerOptions> & { batchSize: number; steps: number };
  /** The step the first run ends at, with a checkpoint. */
  stopAt: number;
  /**
   * How the first run ends: `'stop'` (planned for all the steps, `Trainer.stop` after step
   * `stopAt`: schedules as the straight run's) or `'end'` (a run of `stopAt` steps, which the
   * second run extends). Default `'stop'`.
   */
  interrupt?: 'stop' | 'end';
}

export interface ExactResumeOutcome {
  /** The straight run, with its losses and tensor counts. */
  straight: RecordedFit;
  /** The straight run's state at its end. */
  straightState: Map<string, number[]>;
  /** The interrupted run's state when it stopped. */
  atCheckpoint: Map<string, number[]>;
  resumed: TrainResult;
  /** The resumed run's state at its end. */
  resumedState: Map<string, number[]>;
}

/** Runs the straight, the interrupted and the resumed run (in a temporary checkpoint folder) and returns what each ended with. */
export async function runExactResume<B>(run: ExactResumeRun<B>): Promise<ExactResumeOutcome> {
  const { build, rebuild = build, data, options, stopAt, interrupt = 'stop' } = run;
  const dir = await mkdtemp(join(tmpdir(), 'autodidact-resume-'));
  try {
    const a = build();
    const straight = await recordedFit(a, data, options);
    const straightState = stateValues(a);
    a.dispose();
    const b = build();
    if (interrupt === 'end') {
      await new Trainer(b, { ...options, steps: stopAt, checkpointDir: dir }).fit(data);
    } else {
      const first: Trainer<B> = new Trainer(b, { ...options, checkpointDir: dir }, [
        { onStepEnd: (i) => (i.step >= stopAt ? first.stop('interrupted') : undefined) },
      ]);
      await first.fit(data);
    }
    const atCheckpoint = stateValues(b);
    b.dispose();
    const c = rebuild();
    const resumed = await new Trainer(c, { ...options, checkpointDir: dir }).fit(data);
    const resumedState = stateValues(c);
    c.dispose();
    return { straight, straightState, atCheckpoint, resumed, resumedState };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Expects the resumed run to start at `stopAt` and to end as the straight run did: the same
 * loss history and the same state variables, name for name and bit for bit.
 */
export async function expectExactResume<B>(run: ExactResumeRun<B>): Promise<ExactResumeOutcome> {
  const outcome = await runExactResume(run);
  expect(outcome.resumed.resumedFromStep).toBe(run.stopAt);
  expect(outcome.resumed.lossHistory).toEqual(outcome.straight.result.lossHistory);
  expect([...outcome.resumedState.keys()].sort()).toEqual([...outcome.straightState.keys()].sort());
  for (const [k, v] of outcome.straightState) expect(outcome.resumedState.get(k), k).toEqual(v);
  return outcome;
}
