/**
 * How the fixed-setting experiments (CLIP, IMAX, CRAR) run on the Trainer: Adam with tfjs's
 * epsilon at a constant learning rate (as they were first measured with tf.train.adam), no
 * collapse diagnostics (each scores its model on held-out data instead), and the caller's
 * checkpoint and resume options.
 */
import type { Dataset } from '../data/dataset.js';
import type { Method } from '../methods/method.js';
import type { TrainerCallback, TrainResult } from './callbacks.js';
import type { SettingHints } from './setting-hints.js';
import { Trainer } from './trainer.js';

/** The Trainer options an experiment's caller sets. */
export interface ExperimentRunOptions {
  /** Checkpoint folder of the Trainer; none written when absent. */
  checkpointDir?: string;
  /** Resume from the newest checkpoint in `checkpointDir`. Default true. */
  resume?: boolean;
  /** Steps between checkpoints (and one at the end). Default: the Trainer's (500). */
  checkpointEvery?: number;
  /** Silence the Trainer's progress lines. Default true (the experiment's own progress callback reports). */
  quiet?: boolean;
  /** More Trainer callbacks. */
  callbacks?: TrainerCallback[];
  /** How the caller's user sets things, for the Trainer's resume errors (e.g. a CLI's flags). */
  hints?: SettingHints;
}

/** Trains `method` on `data` with the experiment's settings; the optimizer is disposed after. */
export async function runExperiment<B>(
  method: Method<B>,
  data: Dataset<B>,
  settings: { batchSize: number; steps: number; seed: number; lr: number; logEvery?: number },
  opts: ExperimentRunOptions,
  callbacks: TrainerCallback[],
): Promise<TrainResult> {
  const trainer = new Trainer(
    method,
    {
      batchSize: settings.batchSize,
      steps: settings.steps,
      seed: settings.seed,
      optimizer: { name: 'adam', lr: settings.lr, eps: 1e-7 },
      schedule: { kind: 'constant' },
      quiet: opts.quiet ?? true,
      ...(settings.logEvery !== undefined ? { logEvery: settings.logEvery } : {}),
      diagnosticsEvery: 0,
      ...(opts.checkpointDir ? { checkpointDir: opts.checkpointDir } : {}),
      ...(opts.resume !== undefined ? { resume: opts.resume } : {}),
      ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
    },
    callbacks,
    opts.hints ? { hints: opts.hints } : {},
  );
  try {
    return await trainer.fit(data);
  } finally {
    trainer.optimizer?.dispose();
  }
}
