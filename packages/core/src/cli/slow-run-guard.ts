/**
 * `autodidact pretrain` refuses a run that would take hours on a slow backend (tfjs's pure-JS
 * `cpu`, `wasm`) unless asked (`--allow-slow`): the fast backend is usually one apt package away,
 * and finding that out after an hour is worse than being told at once.
 *
 * The estimate times one optimizer step of a throwaway copy of the method on a small batch of
 * the real data (nothing of the run is touched or written) and scales it by the batch size and
 * the planned steps: on these backends a step's cost grows about linearly with the batch (the
 * convolution gradients dominate), and a first step costs little more than the next there.
 */
import type { AnyDataset } from '../data/streaming-dataset.js';
import { ConfigError } from '../errors.js';
import type { Method } from '../methods/method.js';
import type { TrainerOptions } from '../trainer/options.js';
import { Trainer } from '../trainer/trainer.js';
import { FAST_BACKEND_FIX } from '../backend/init-backend.js';

/** Runs estimated to take longer than this (seconds) on a slow backend need `--allow-slow`. */
export const SLOW_RUN_LIMIT_SECONDS = 3600;

/** Samples per step of the timed trial (fewer when the run's batch or the data set is smaller). */
export const TRIAL_BATCH = 8;

/** A run's expected training time from a timed trial. */
export interface RunEstimate {
  /** Seconds per step at the run's batch size. */
  secondsPerStep: number;
  /** Planned optimizer steps. */
  steps: number;
  /** `secondsPerStep * steps`. */
  seconds: number;
}

/** Times one step of `create()` at a small batch and scales it to the run; undefined if the trial fails. */
export async function estimateRun<B>(args: {
  create: () => Method<B>;
  dataset: AnyDataset<B>;
  trainer: Partial<TrainerOptions> & { batchSize: number };
}): Promise<RunEstimate | undefined> {
  const { dataset, trainer: o } = args;
  const steps = o.steps ?? (o.epochs ?? 1) * Math.max(1, Math.floor(dataset.size / o.batchSize));
  const batch = Math.max(2, Math.min(TRIAL_BATCH, o.batchSize, dataset.size));
  let method: Method<B> | undefined;
  let trial: Trainer<B> | undefined;
  try {
    method = args.create();
    const at: number[] = [];
    trial = new Trainer(
      method,
      { ...o, batchSize: batch, steps: 1, epochs: 1, checkpointDir: undefined, resume: false, quiet: true },
      [{ onStepEnd: (info) => void at.push(info.elapsedSeconds) }],
    );
    await trial.fit(dataset);
    if (at.length < 1) return undefined;
    const perStep = at[0]! * (o.batchSize / batch);
    return { secondsPerStep: perStep, steps, seconds: perStep * steps };
  } catch {
    return undefined; // the run itself will report what is wrong
  } finally {
    trial?.optimizer?.dispose();
    method?.dispose();
  }
}

/** Readable duration: `45 s`, `12 min`, `3.1 h`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Throws a ConfigError stating the estimate and both ways out when the run would take longer
 * than {@link SLOW_RUN_LIMIT_SECONDS} on `backend`.
 */
export function refuseSlowRun(estimate: RunEstimate | undefined, backend: string): void {
  if (!estimate || estimate.seconds <= SLOW_RUN_LIMIT_SECONDS) return;
  throw new ConfigError(
    `this run would take about ${formatDuration(estimate.seconds)} on the slow '${backend}' backend ` +
      `(${estimate.steps} steps x ${formatDuration(estimate.secondsPerStep)} per step, timed here). ` +
      `For the fast native backend run: ${FAST_BACKEND_FIX}; or, to train on '${backend}' anyway, ` +
      'add --allow-slow (npm start -- --allow-slow)',
  );
}
