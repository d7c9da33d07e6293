import type * as tf from '@tensorflow/tfjs';
import type { CollapseDiagnostics } from '../diagnostics/collapse-diagnostics.js';
import type { ResolvedTrainerOptions } from './options.js';

/** Told once before the first step. */
export interface TrainStartInfo {
  /** Planned optimizer steps of the whole run. */
  totalSteps: number;
  /** Steps already done (non-zero when resumed). */
  startStep: number;
  stepsPerEpoch: number;
  datasetSize: number;
  /** Set when the run resumed from a checkpoint. */
  resumedFromStep?: number;
  /** The checkpoint folder it resumed from. */
  resumedFrom?: string;
  options: ResolvedTrainerOptions;
}

/** Told after every optimizer step. */
export interface StepInfo {
  /** Optimizer steps completed, counting this one (1-based). */
  step: number;
  totalSteps: number;
  /** Epoch of this step (0-based). */
  epoch: number;
  /** Loss of this step's batch. */
  loss: number;
  /** Learning rate used in this step. */
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** The method's extra scalars for this batch. */
  metrics: Record<string, number>;
  /** Throughput over recent steps. */
  samplesPerSec: number;
  /** Estimated seconds to the end of the run. */
  etaSeconds: number;
  /** Seconds since this process started training. */
  elapsedSeconds: number;
  /** Collapse diagnostics of this batch's embeddings, on steps where they were computed. */
  diagnostics?: CollapseDiagnostics;
  /**
   * Scalars of callbacks' evaluations on held-out data (e.g. the kNN monitor's `knn_accuracy`),
   * on steps where one ran; logged as `monitor_<name>`.
   */
  monitor?: Record<string, number>;
}

/** What a callback's {@link TrainerCallback.onEvaluate} may use: the model as it is after this step. */
export interface EvaluateContext {
  /** Optimizer steps completed (1-based). */
  step: number;
  totalSteps: number;
  /** The method's frozen embedding (inference mode, no gradient): `[batch, ...] -> [batch, dim]`. */
  embed(batch: unknown): tf.Tensor2D;
  /**
   * Writes the whole trainer state at this step (the same verified, atomic checkpoint as the
   * trainer's own) into `dir`, keeping only the newest folder there; `extra` is stored in its
   * state.json. Returns the checkpoint folder.
   */
  saveCheckpoint(dir: string, extra: Record<string, unknown>): Promise<string>;
}

/** Told when an epoch's last step is done. */
export interface EpochInfo {
  /** The epoch just completed (0-based). */
  epoch: number;
  /** Steps completed so far. */
  step: number;
  /** Mean loss of the epoch's steps run in this process. */
  meanLoss: number;
}

/** What `Trainer.fit` returns. */
export interface TrainResult {
  /** Optimizer steps completed in total (including those before a resume). */
  steps: number;
  /** Epochs completed, fractional (steps / steps per epoch). */
  epochs: number;
  /** Loss of the last step (NaN when no step ran). */
  finalLoss: number;
  /** Loss of every step of the run, including steps before a resume (restored from the checkpoint). */
  lossHistory: number[];
  /** Wall seconds of this process's training. */
  seconds: number;
  /** Step the run resumed from, when it did. */
  resumedFromStep?: number;
  /** Why the run ended before its planned steps (`Trainer.stop`, a numerical error). */
  stoppedReason?: string;
  /** Warnings raised during the run (embedding collapse). */
  warnings: string[];
  /** The last checkpoint written, if any. */
  checkpoint?: string;
}

/** Hooks into the loop; any may be async (the trainer awaits it). */
export interface TrainerCallback {
  onTrainStart?(info: TrainStartInfo): void | Promise<void>;
  onStepEnd?(info: StepInfo): void | Promise<void>;
  onEpochEnd?(info: EpochInfo): void | Promise<void>;
  /** Also called when the run stops early, with `stoppedReason` set. */
  onTrainEnd?(result: TrainResult): void | Promise<void>;
  /** A warning (embedding collapse suspected). */
  onWarning?(message: string, step: number): void | Promise<void>;
  /** A checkpoint folder was written. */
  onCheckpoint?(path: string, step: number): void | Promise<void>;
  /**
   * Called after every step, before `onStepEnd`: an evaluation of the current model, or
   * undefined on steps it skips. The scalars returned go to `StepInfo.monitor`.
   */
  onEvaluate?(
    context: EvaluateContext,
  ): Record<string, number> | undefined | Promise<Record<string, number> | undefined>;
  /**
   * Key under which {@link saveState}'s JSON is stored in each checkpoint (`callbacks.<key>` of
   * state.json) and handed to {@link loadState} on resume, before `onTrainStart`.
   */
  readonly stateKey?: string;
  saveState?(): unknown;
  loadState?(state: unknown): void;
}
