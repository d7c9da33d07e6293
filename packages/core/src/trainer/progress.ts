import { env } from '../env.js';
import { stderrStream } from '../stderr-stream.js';
import type { EpochInfo, StepInfo, TrainerCallback, TrainResult, TrainStartInfo } from './callbacks.js';

/** Where progress goes: anything with `write` (process.stderr by default, the console in a browser). */
export interface ProgressStream {
  write(text: string): unknown;
  /** In-place updates (carriage return) when true; one line per report otherwise. */
  isTTY?: boolean;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  /** Report every N steps (and the first and last). Default 10. */
  logEvery?: number;
  /** Print nothing. Default `env.quiet` (AUTODIDACT_QUIET). */
  quiet?: boolean;
  /** `text` lines or `json` lines (one object per event). Default `env.logFormat`. */
  format?: 'text' | 'json';
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Smoothing factor of the displayed loss (exponential moving average, debiased). Default 0.9. */
  smoothing?: number;
}

/** `3s`, `2m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(4);
}

/**
 * Progress callback: every `logEvery` steps prints steps/total, epoch, smoothed loss, lr,
 * throughput (samples/s) and ETA to stderr (and, on steps where they ran, collapse diagnostics
 * and monitor scores such as `monitor kNN 0.8120 (best 0.8240)`) — in place on a terminal, one line per report
 * otherwise (CI logs), or JSON lines when `format` is `json` (AUTODIDACT_LOG_FORMAT=json).
 * Warnings, checkpoints and the end of the run are printed as their own lines. Plain text
 * rather than a progress-bar library: one line is all it draws.
 */
export class ProgressReporter implements TrainerCallback {
  private readonly logEvery: number;
  private readonly quiet: boolean;
  private readonly format: 'text' | 'json';
  private readonly stream: ProgressStream;
  private readonly beta: number;
  private ema = 0;
  private emaSteps = 0;
  private startStep = 0;
  private openLine = false;

  constructor(options: ProgressOptions = {}) {
    this.logEvery = Math.max(1, options.logEvery ?? 10);
    this.quiet = options.quiet ?? env.quiet;
    this.format = options.format ?? env.logFormat;
    this.stream = options.stream ?? stderrStream();
    this.beta = options.smoothing ?? 0.9;
  }

  /** The debiased moving average of the losses seen so far. */
  get smoothedLoss(): number {
    return this.emaSteps === 0 ? Number.NaN : this.ema / (1 - this.beta ** this.emaSteps);
  }

  private line(text: string): void {
    if (this.openLine) this.stream.write('\n');
    this.openLine = false;
    this.stream.write(`${text}\n`);
  }

  private json(obj: Record<string, unknown>): void {
    this.stream.write(`${JSON.stringify(obj)}\n`);
  }

  onTrainStart(info: TrainStartInfo): void {
    this.startStep = info.startStep;
    this.ema = 0;
    this.emaSteps = 0;
    if (this.quiet) return;
    const o = info.options;
    if (this.format === 'json') {
      this.json({
        event: 'start',
        totalSteps: info.totalSteps,
        startStep: info.startStep,
        stepsPerEpoch: info.stepsPerEpoch,
        datasetSize: info.datasetSize,
        batchSize: o.batchSize,
        optimizer: o.optimizer.name,
        lr: o.optimizer.lr,
        resumedFromStep: info.resumedFromStep,
      });
      return;
    }
    const resumed =
      info.resumedFromStep !== undefined ? `, resumed from step ${info.resumedFromStep} (${info.resumedFrom})` : '';
    this.line(
      `training: ${info.totalSteps} steps (${info.stepsPerEpoch} per epoch) on ${info.datasetSize} samples, ` +
        `batch ${o.batchSize}, ${o.optimizer.name} lr ${o.optimizer.lr.toExponential(2)}, ${o.schedule.kind} schedule${resumed}`,
    );
  }

  onStepEnd(info: StepInfo): void {
    this.ema = this.beta * this.ema + (1 - this.beta) * info.loss;
    this.emaSteps++;
    if (this.quiet) return;
    const due = info.step % this.logEvery === 0 || info.step === info.totalSteps || info.step === this.startStep + 1;
    if (!due && !info.diagnostics && !info.monitor) return;
    if (this.format === 'json') {
      this.json({
        event: 'step',
        step: info.step,
        totalSteps: info.totalSteps,
        epoch: info.epoch,
        loss: info.loss,
        smoothedLoss: this.smoothedLoss,
        lr: info.lr,
        gradNorm: info.gradNorm,
        samplesPerSec: info.samplesPerSec,
        etaSeconds: info.etaSeconds,
        metrics: info.metrics,
        diagnostics: info.diagnostics,
        monitor: info.monitor,
      });
      return;
    }
    const pct = ((100 * info.step) / info.totalSteps).toFixed(1);
    const parts = [
      `step ${info.step}/${info.totalSteps} (${pct}%)`,
      `epoch ${info.epoch + 1}`,
      `loss ${fmt(this.smoothedLoss)}`,
      `lr ${info.lr.toExponential(2)}`,
      `${info.samplesPerSec.toFixed(0)} samples/s`,
      `ETA ${formatDuration(info.etaSeconds)}`,
    ];
    for (const [k, v] of Object.entries(info.metrics)) parts.push(`${k} ${fmt(v)}`);
    if (info.diagnostics) {
      parts.push(`emb std ${fmt(info.diagnostics.stdRatio)}/√d`, `erank ${fmt(info.diagnostics.effectiveRank)}`);
    }
    const m = info.monitor;
    if (m) {
      if (m.knn_accuracy !== undefined) {
        const best = m.best_knn_accuracy !== undefined ? ` (best ${fmt(m.best_knn_accuracy)})` : '';
        parts.push(`monitor kNN ${fmt(m.knn_accuracy)}${best}`);
      }
      for (const [k, v] of Object.entries(m)) {
        if (k !== 'knn_accuracy' && k !== 'best_knn_accuracy') parts.push(`monitor ${k} ${fmt(v)}`);
      }
    }
    const text = parts.join(' | ');
    if (this.stream.isTTY) {
      this.stream.write(`\r${text}\x1b[K`);
      this.openLine = true;
    } else {
      this.line(text);
    }
  }

  onEpochEnd(info: EpochInfo): void {
    if (!this.quiet && this.format === 'json') this.json({ event: 'epoch', ...info });
  }

  onWarning(message: string, step: number): void {
    if (this.quiet) return;
    if (this.format === 'json') this.json({ event: 'warning', step, message });
    else this.line(`warning: ${message}`);
  }

  onCheckpoint(path: string, step: number): void {
    if (this.quiet) return;
    if (this.format === 'json') this.json({ event: 'checkpoint', step, path });
    else if (!this.stream.isTTY) this.line(`checkpoint: step ${step} -> ${path}`);
  }

  onTrainEnd(result: TrainResult): void {
    if (this.quiet) return;
    if (this.format === 'json') {
      this.json({
        event: 'end',
        steps: result.steps,
        epochs: result.epochs,
        finalLoss: result.finalLoss,
        seconds: result.seconds,
        stoppedReason: result.stoppedReason,
        checkpoint: result.checkpoint,
      });
      return;
    }
    const how = result.stoppedReason
      ? `stopped at step ${result.steps}: ${result.stoppedReason}`
      : `done: ${result.steps} steps`;
    this.line(`${how} in ${formatDuration(result.seconds)}, final loss ${fmt(result.finalLoss)}`);
  }
}
