/**
 * The steps of `autodidact pretrain` after its flags are planned (pretrain-plan.ts): find the
 * data, load it, open the monitor, train (writing the report of a run that blew up), save the
 * encoder (and the best one), evaluate, draw and report, summarise. `pretrainCommand` runs
 * them in that order.
 */
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLatestGoodCheckpoint } from '../../checkpoint/load-checkpoint.js';
import { restoreVariables } from '../../checkpoint/restore-variables.js';
import { type AnyDataset, closeDataset } from '../../data/streaming-dataset.js';
import { ConfigError, NumericalError } from '../../errors.js';
import { KnnMonitor } from '../../eval/knn-monitor.js';
import type { Method } from '../../methods/method.js';
import { saveEncoder } from '../../methods/saved-encoder.js';
import { Rng } from '../../random/rng.js';
import { embeddingSample } from '../../report/embedding-sample.js';
import { REPORT_FILE, type ReportProbe, writeHtmlReport } from '../../report/html-report.js';
import type { MetricsLog } from '../../report/metrics-log.js';
import { type EmbeddingSample, renderRunFigures, writePlots } from '../../report/plots.js';
import type { TrainerOptions } from '../../trainer/options.js';
import { CHECKPOINT_PREFIX, checkTrainerState, type Trainer, type TrainResult } from '../../trainer/index.js';
import type { LoadOptions, Modality } from '../modality.js';
import { undoOutDir } from '../out-dir.js';
import type { PretrainPlan } from './pretrain-plan.js';
import { type EncoderComparison, evaluateEncoders } from './evaluate.js';

/** One line to the user (and a JSON record with `--log-format json`). */
export type Say = (line: string, fields?: Record<string, unknown>) => void;

/** The default data set's splits when the run uses it. */
export type EvalData = { train: string; test: string; description: string };

/**
 * The data to pretrain on: `--data`, else the modality's default set (whose test split the run
 * then reports on). Refuses a monitor on that test split, undoing the folders `made` so far.
 */
export async function findPretrainData(
  modality: Modality<unknown>,
  dataFlag: string | undefined,
  monitorPath: string | undefined,
  say: Say,
  made: string[],
): Promise<{ dataPath: string; evalData?: EvalData }> {
  let dataPath = dataFlag;
  let evalData: EvalData | undefined;
  if (!dataPath) {
    if (!modality.defaultData) throw new ConfigError(`--data is required: ${modality.name} has no default data set`);
    const d = await modality.defaultData();
    say(`no --data given; using ${d.description} (${d.train})`);
    dataPath = d.train;
    evalData = d;
  }
  if (monitorPath && evalData && resolve(evalData.test) === monitorPath) {
    await undoOutDir(made); // a refused run leaves nothing behind
    throw new ConfigError(
      `${monitorPath} is the test split this run reports on (${evalData.description}); ` +
        'choosing a checkpoint on it spoils that number: monitor on a validation set',
      { field: '--monitor' },
    );
  }
  if (monitorPath?.split(/[\\/]/).some((part) => /^(test|t10k)\b/i.test(part))) {
    say(`warning: --monitor ${monitorPath} looks like a test split; choose checkpoints on validation data`);
  }
  return { dataPath, ...(evalData ? { evalData } : {}) };
}

/** The unlabelled training data; a ConfigError (`--data`) when it holds no sample. */
export async function loadPretrainData(
  modality: Modality<unknown>,
  dataPath: string,
  load: LoadOptions,
  limit: number | undefined,
): Promise<AnyDataset<unknown>> {
  const dataset = await modality.loadUnlabeled(resolve(dataPath), { ...load, limit });
  if (dataset.size === 0) throw new ConfigError(`no samples in ${dataPath}`, { field: '--data' });
  return dataset;
}

/** The kNN monitor on `--monitor`'s labelled data, read in the form the method embeds; undefined without it. */
export async function openMonitor(
  modality: Modality<unknown>,
  plan: PretrainPlan,
  method: Method<unknown>,
  load: LoadOptions,
  keepBestDir: string | undefined,
  say: Say,
): Promise<KnnMonitor<unknown> | undefined> {
  const path = plan.monitorPath;
  if (!path) return undefined;
  const labelled = await modality.loadLabeled(path, { ...load, encoder: method.encoder.config });
  if (!labelled.labels) {
    await closeDataset(labelled);
    throw new ConfigError(`no labels found in ${path}`, { field: '--monitor' });
  }
  const monitor = new KnnMonitor(labelled, {
    size: plan.monitorSize,
    every: plan.monitorEvery ?? 'auto',
    seed: plan.seed,
    ...(keepBestDir ? { keepBestDir } : {}),
  });
  say(
    `monitor: kNN accuracy (k=20, T=0.07) of ${monitor.queries.size} queries against a bank of ` +
      `${monitor.bank.size}, drawn from ${labelled.size} labelled samples in ${path}` +
      `${keepBestDir ? `; best checkpoint kept in ${keepBestDir}` : ''}`,
  );
  return monitor;
}

/** What the report and the saved encoder record about a run. */
export interface RunRecord {
  readonly modality: string;
  readonly method: string;
  readonly methodOptions: Record<string, unknown>;
  readonly data: string;
  readonly loaderOptions: Record<string, unknown>;
  readonly backend: string;
  readonly out: string;
  readonly seed: number;
}

/**
 * Trains; when the run blows up (NaN loss or gradient) and `writeReport`, writes the report
 * of what was logged (those curves matter most), then rethrows.
 */
export async function trainOrReportFailure(
  trainer: Trainer<unknown>,
  dataset: AnyDataset<unknown>,
  metricsLog: MetricsLog,
  record: RunRecord,
  reportConfig: () => Record<string, unknown>,
  writeReport: boolean,
  say: Say,
): Promise<TrainResult> {
  try {
    return await trainer.fit(dataset as never);
  } catch (err) {
    if (writeReport && err instanceof NumericalError) {
      const figures = await renderRunFigures({ rows: metricsLog.rows, rng: new Rng(record.seed) });
      const path = await writeHtmlReport(join(record.out, REPORT_FILE), {
        title: `${record.modality} / ${record.method} (failed)`,
        config: reportConfig(),
        summary: {
          modality: record.modality,
          method: record.method,
          failed_at_step: err.step,
          error: err.message,
          out: record.out,
        },
        rows: metricsLog.rows,
        figures,
      });
      say(`report of the failed run written to ${path}`, { report: path });
    }
    throw err;
  }
}

/** Saves the trained encoder to `<out>` with what made it. */
export async function saveTrainedEncoder(
  method: Method<unknown>,
  record: RunRecord,
  trainer: Partial<TrainerOptions>,
  result: TrainResult,
): Promise<void> {
  await saveEncoder(record.out, method.encoder.allVariables(), {
    modality: record.modality,
    method: record.method,
    methodOptions: record.methodOptions,
    encoderConfig: method.encoder.config,
    trainer,
    result: { steps: result.steps, finalLoss: result.finalLoss, seconds: result.seconds },
    backend: record.backend,
    data: record.data,
    loaderOptions: record.loaderOptions,
  });
}

/** The monitor's best score, where it was reached and the checkpoint that holds it. */
export type BestMonitor = { knnAccuracy: number; step: number; checkpoint?: string };

/**
 * The best checkpoint's encoder beside it in `bestDir`, so probe, embed and export take
 * `<out>/best` too. Its own state.json says which score and step it holds (after a kill and
 * resume, the folder may hold a step the interrupted process reached past its last checkpoint).
 */
export async function saveBestEncoder(
  bestDir: string,
  rebuild: () => Method<unknown>,
  record: RunRecord,
  trainer: Partial<TrainerOptions>,
  say: Say,
): Promise<BestMonitor | undefined> {
  const { checkpoint: ck } = await loadLatestGoodCheckpoint(bestDir, { validate: checkTrainerState });
  if (!ck) return undefined;
  const kept = (ck.state as { evaluation?: { monitor?: { knn_accuracy?: unknown } } }).evaluation?.monitor;
  const score = typeof kept?.knn_accuracy === 'number' ? kept.knn_accuracy : Number.NaN;
  const twin = rebuild();
  try {
    restoreVariables(twin.stateVariables(), ck.tensors, CHECKPOINT_PREFIX.method, ck.path);
    await saveEncoder(bestDir, twin.encoder.allVariables(), {
      modality: record.modality,
      method: record.method,
      methodOptions: record.methodOptions,
      encoderConfig: twin.encoder.config,
      trainer,
      result: { steps: ck.step, monitorKnnAccuracy: score },
      backend: record.backend,
      data: record.data,
      loaderOptions: record.loaderOptions,
    });
  } finally {
    tf.dispose([...ck.tensors.values()]);
    twin.dispose();
  }
  say(`best encoder (step ${ck.step}, monitor kNN ${score.toFixed(4)}) saved to ${bestDir}`);
  return { knnAccuracy: score, step: ck.step, checkpoint: ck.path };
}

/** The run's one JSON line on stdout (the report's summary): what was trained, how far, and where it went. */
export function runSummary(
  record: RunRecord,
  result: TrainResult,
  best: BestMonitor | undefined,
): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    modality: record.modality,
    method: record.method,
    steps: result.steps,
    ...(result.resumedFromStep !== undefined ? { resumed_from_step: result.resumedFromStep } : {}),
    final_loss: result.finalLoss,
    seconds: Number(result.seconds.toFixed(1)),
    backend: record.backend,
    out: record.out,
  };
  if (best) {
    summary.best_monitor_knn_accuracy = best.knnAccuracy;
    summary.best_monitor_step = best.step;
    if (best.checkpoint) summary.best_checkpoint = best.checkpoint;
  }
  return summary;
}

/** The probes' scores for the summary and the report. */
export interface RunEvaluation {
  readonly scores: EncoderComparison;
  readonly probes: ReportProbe[];
  readonly note: string;
}

/** Linear and kNN probes of the trained encoder against a random init on the default data's splits. */
export async function evaluatePretrained(
  modality: Modality<unknown>,
  method: Method<unknown>,
  evalData: EvalData,
  load: LoadOptions,
  plan: PretrainPlan,
  say: Say,
): Promise<RunEvaluation> {
  const encoder = method.encoder;
  const r = await evaluateEncoders({
    modality,
    trained: (x: unknown) => method.embed(x as never) as tf.Tensor2D,
    random: () => modality.createEncoder(encoder.config, new Rng(plan.seed + 1)),
    train: evalData.train,
    test: evalData.test,
    load: { ...load, encoder: encoder.config },
    trainLimit: plan.probeTrainLimit,
    seed: plan.seed,
    say: (line: string) => say(line.replace(/^autodidact: /, '')),
  });
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  say(
    `${plan.spec.name} encoder on the test set: linear probe ${pct(r.linear_accuracy)} ` +
      `(random init ${pct(r.random_init_linear_accuracy)}), kNN ${pct(r.knn_accuracy)} ` +
      `(random init ${pct(r.random_init_knn_accuracy)})`,
  );
  return {
    scores: r,
    probes: [
      { name: 'linear probe', accuracy: r.linear_accuracy, randomInitAccuracy: r.random_init_linear_accuracy },
      { name: 'kNN probe', accuracy: r.knn_accuracy, randomInitAccuracy: r.random_init_knn_accuracy },
    ],
    note: `${r.n_train} labelled training and ${r.n_test} test samples (${evalData.description})`,
  };
}

/**
 * The run's figures (curves and the 2-D map) to `plotsDir` and the HTML report to
 * `<out>/report.html`, as the plan asks; returns the report's path when written. The map shows
 * the labelled probe test set when the run has one (coloured by label), else the training data
 * (coloured only if it carries labels).
 */
export async function writeFiguresAndReport(args: {
  modality: Modality<unknown>;
  method: Method<unknown>;
  plan: PretrainPlan;
  dataset: AnyDataset<unknown>;
  evalData?: EvalData;
  load: LoadOptions;
  metricsLog: MetricsLog;
  record: RunRecord;
  reportConfig: () => Record<string, unknown>;
  summary: Record<string, unknown>;
  result: TrainResult;
  evaluation?: RunEvaluation;
  say: Say;
}): Promise<string | undefined> {
  const { modality, method, plan, evalData, metricsLog, record, say } = args;
  if (!plan.plotsDir && !plan.writeReport) return undefined;
  let embeddings: EmbeddingSample | undefined;
  if (plan.mapSamples > 0) {
    const embed = (x: unknown) => method.embed(x as never) as tf.Tensor2D;
    if (evalData) {
      const test = await modality.loadLabeled(evalData.test, { ...args.load, encoder: method.encoder.config });
      embeddings = await embeddingSample(embed, test, { limit: plan.mapSamples, source: 'probe test set' });
      await closeDataset(test);
    } else {
      embeddings = await embeddingSample(embed, args.dataset, { limit: plan.mapSamples, source: 'training data' });
    }
  }
  const figures = await renderRunFigures({ rows: metricsLog.rows, embeddings, rng: new Rng(plan.seed) });
  for (const note of figures.notes ?? []) say(note);
  if (plan.plotsDir) {
    const files = await writePlots(plan.plotsDir, figures);
    say(`plots written to ${plan.plotsDir} (${Object.keys(files).join(', ')})`, { plots: files });
  }
  if (!plan.writeReport) return undefined;
  const path = await writeHtmlReport(join(record.out, REPORT_FILE), {
    title: `${record.modality} / ${record.method}`,
    config: args.reportConfig(),
    summary: { ...args.summary, ...(args.result.stoppedReason ? { stopped: args.result.stoppedReason } : {}) },
    probes: args.evaluation?.probes,
    probeNote: args.evaluation?.note,
    warnings: args.result.warnings,
    rows: metricsLog.rows,
    figures,
  });
  say(`report written to ${path}`, { report: path });
  return path;
}
