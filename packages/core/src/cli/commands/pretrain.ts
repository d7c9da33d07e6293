import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, SLOW_BACKENDS } from '../../backend/index.js';
import { parseDataMode } from '../../data/data-mode.js';
import { closeDataset, isStreaming } from '../../data/streaming-dataset.js';
import { env } from '../../env.js';
import { loadLatestGoodCheckpoint } from '../../checkpoint/load-checkpoint.js';
import { restoreVariables } from '../../checkpoint/restore-variables.js';
import { ConfigError, NumericalError } from '../../errors.js';
import { KnnMonitor } from '../../eval/knn-monitor.js';
import { unreadableFileError } from '../../io/walk-files.js';
import { checkBatchSizeMinimum } from '../../methods/batch-size-minimum.js';
import { saveEncoder } from '../../methods/saved-encoder.js';
import { Rng } from '../../random/rng.js';
import type { OptimizerOptions, TrainerOptions } from '../../trainer/options.js';
import {
  CHECKPOINT_PREFIX,
  checkTrainerState,
  ProgressReporter,
  Trainer,
  type TrainResult,
} from '../../trainer/index.js';
import { embeddingSample } from '../../report/embedding-sample.js';
import { REPORT_FILE, type ReportProbe, writeHtmlReport } from '../../report/html-report.js';
import { MetricsLog } from '../../report/metrics-log.js';
import { type EmbeddingSample, renderRunFigures, writePlots } from '../../report/plots.js';
import { parseCheckpointEvery } from '../checkpoint-every.js';
import { loadModality } from '../load-modality.js';
import { cliLogger, type LogFormat } from '../log-output.js';
import { formatLoaderFlags, resolveLoaderOptions } from '../loader-options.js';
import type { LoadOptions } from '../modality.js';
import { prepareOutDir, undoOutDir } from '../out-dir.js';
import { parseIntFlag, parseKeyValues, parseNumberFlag } from '../parse-options.js';
import { CLI_HINTS } from '../setting-hints.js';
import { estimateRun, refuseSlowRun } from '../slow-run-guard.js';
import { evaluateEncoders } from './evaluate.js';

/** Flags of `autodidact pretrain` as commander hands them over. */
export interface PretrainFlags {
  method: string;
  data?: string;
  out: string;
  epochs?: string;
  steps?: string;
  batchSize?: string;
  lr?: string;
  optimizer?: OptimizerOptions['name'];
  seed: string;
  limit?: string;
  option: string[];
  resume: boolean;
  /** Checkpoint cadence: steps (`200`) or wall time (`5m`). Default: 500 steps or 2 minutes, whichever first. */
  checkpointEvery?: string;
  eval: boolean;
  probeTrainLimit: string;
  backend?: 'tensorflow' | 'native' | 'cpu' | 'wasm';
  quiet?: boolean;
  /** `text` or `json` progress and messages on stderr (default env AUTODIDACT_LOG_FORMAT). */
  logFormat?: LogFormat;
  /** Folder for the figures as SVG files (training curves, embedding map). */
  plots?: string;
  /** Write <out>/report.html (default true; `--no-report` turns it off). */
  report?: boolean;
  /** Samples in the 2-D embedding map (0: no map). Default 1000. */
  mapSamples?: string;
  /** Train even when the run is estimated to take hours on a slow backend (cpu, wasm). */
  allowSlow?: boolean;
  /** Labelled data for the online kNN monitor (any form the modality's loadLabeled reads). */
  monitor?: string;
  /** Steps between monitor evaluations (default: about 20 per run). */
  monitorEvery?: string;
  /** Samples of the monitor's fixed sample (default 1000), half kNN bank, half queries. */
  monitorSize?: string;
  /** Keep the checkpoint of the best monitor score in <out>/best. */
  keepBest?: boolean;
  /** `auto` (default), `memory` or `stream`: where decoded samples live (LoadOptions.dataMode). */
  dataMode?: string;
  /** Stop at the first bad data file instead of skipping it. */
  strict?: boolean;
  /** The modality's data flags (`--image-size`, `--window`, ...), by option name. */
  [loaderOption: string]: unknown;
}

/** `autodidact pretrain <modality> --method m [--data p] --out dir`. */
export async function pretrainCommand(modalityName: string, flags: PretrainFlags): Promise<void> {
  const quiet = flags.quiet ?? env.quiet;
  const logFormat = flags.logFormat ?? env.logFormat;
  const say = cliLogger({ quiet, format: logFormat });
  // Check everything the user typed before any work starts.
  const modality = await loadModality(modalityName);
  const spec = modality.methods.get(flags.method);
  const loaderSpecs = modality.loaderOptions ?? [];
  const loader = resolveLoaderOptions(loaderSpecs, flags).values;
  const methodOptions = spec.resolveOptions(parseKeyValues(flags.option), '--option');
  const seed = parseIntFlag('--seed', flags.seed) ?? 0;
  const limit = parseIntFlag('--limit', flags.limit, 1);
  const batchSize = parseIntFlag('--batch-size', flags.batchSize, 1);
  const epochs = parseIntFlag('--epochs', flags.epochs, 1);
  const steps = parseIntFlag('--steps', flags.steps, 1);
  const lr = parseNumberFlag('--lr', flags.lr);
  const probeTrainLimit = parseIntFlag('--probe-train-limit', flags.probeTrainLimit, 1);
  const mapSamples = parseIntFlag('--map-samples', flags.mapSamples ?? '1000', 0) ?? 1000;
  const plotsDir = flags.plots !== undefined ? resolve(flags.plots) : undefined;
  const writeReport = flags.report ?? true;
  const dataMode = parseDataMode(flags.dataMode);
  const checkpointCadence = parseCheckpointEvery(flags.checkpointEvery);
  const monitorPath = flags.monitor !== undefined ? resolve(flags.monitor) : undefined;
  const monitorEvery = parseIntFlag('--monitor-every', flags.monitorEvery, 1);
  const monitorSize = parseIntFlag('--monitor-size', flags.monitorSize ?? '1000', 2) ?? 1000;
  if (!monitorPath) {
    const needs = flags.keepBest
      ? '--keep-best'
      : flags.monitorEvery !== undefined
        ? '--monitor-every'
        : flags.monitorSize !== undefined
          ? '--monitor-size'
          : undefined;
    if (needs) throw new ConfigError('needs --monitor <labelled data>', { field: needs });
  } else {
    try {
      statSync(monitorPath);
    } catch (err) {
      throw new ConfigError(unreadableFileError(monitorPath, err).message, { field: '--monitor' });
    }
  }
  const defaults = spec.trainerDefaults;
  checkBatchSizeMinimum(spec.name, spec.minBatchSize, batchSize ?? defaults.batchSize ?? 128, {
    field: '--batch-size',
  });
  // Before anything loads: an --out that cannot be written would otherwise fail after the data.
  const made: string[] = [];
  const out = await prepareOutDir(flags.out, '--out', made);
  if (plotsDir) await prepareOutDir(plotsDir, '--plots', made);
  const backend = await initBackend({ prefer: flags.backend, quiet: quiet || logFormat === 'json' });
  if (logFormat === 'json') say(`backend ${backend.name}`, { backend: backend.name });

  let dataPath = flags.data;
  let evalData: { train: string; test: string; description: string } | undefined;
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
  const load: LoadOptions = { strict: flags.strict, loader, log: (line: string) => say(line), dataMode };
  const dataset = await modality.loadUnlabeled(resolve(dataPath), { ...load, limit });
  if (dataset.size === 0) throw new ConfigError(`no samples in ${dataPath}`, { field: '--data' });
  const sampleShape = dataset.sampleShape ? [...dataset.sampleShape] : [];
  const rng = new Rng(seed);
  const method = modality.methods.get(flags.method).create({ sampleShape, options: methodOptions, rng: rng.fork() });

  const optimizer: OptimizerOptions = {
    ...(defaults.optimizer ?? { name: 'adam', lr: 1e-3 }),
    ...(flags.optimizer ? { name: flags.optimizer } : {}),
    ...(lr !== undefined ? { lr } : {}),
  };
  const trainerOptions: Partial<TrainerOptions> & { batchSize: number } = {
    ...defaults,
    batchSize: batchSize ?? defaults.batchSize ?? 128,
    epochs: epochs ?? defaults.epochs ?? 1,
    steps: steps ?? defaults.steps,
    optimizer,
    seed,
    checkpointDir: join(out, 'checkpoints'),
    ...checkpointCadence,
    resume: flags.resume,
    quiet,
  };
  if (SLOW_BACKENDS.includes(backend.name) && !flags.allowSlow) {
    const create = () => spec.create({ sampleShape, options: methodOptions, rng: new Rng(seed).fork() });
    try {
      refuseSlowRun(await estimateRun({ create, dataset, trainer: trainerOptions }), backend.name);
    } catch (err) {
      await undoOutDir(made); // a refused run leaves nothing behind
      throw err;
    }
  }
  const dataFlags = formatLoaderFlags(loaderSpecs, loader);
  say(
    `pretraining ${modality.name}/${spec.name} on ${dataset.size} samples ` +
      `[${sampleShape.join('x')}]${dataFlags ? ` (${dataFlags})` : ''} with ${backend.name}`,
  );
  // The run's own progress reporter (so --log-format applies) and the metrics files under --out.
  const metricsLog = new MetricsLog({ dir: out });
  // The monitor's labelled sample, read in the form the method embeds (as the probes read theirs).
  let monitor: KnnMonitor<unknown> | undefined;
  const bestDir = join(out, 'best');
  if (monitorPath) {
    const labelled = await modality.loadLabeled(monitorPath, { ...load, encoder: method.encoder.config });
    if (!labelled.labels) {
      await closeDataset(labelled);
      throw new ConfigError(`no labels found in ${monitorPath}`, { field: '--monitor' });
    }
    monitor = new KnnMonitor(labelled, {
      size: monitorSize,
      every: monitorEvery ?? 'auto',
      seed,
      ...(flags.keepBest ? { keepBestDir: bestDir } : {}),
    });
    say(
      `monitor: kNN accuracy (k=20, T=0.07) of ${monitor.queries.size} queries against a bank of ` +
        `${monitor.bank.size}, drawn from ${labelled.size} labelled samples in ${monitorPath}` +
        `${flags.keepBest ? `; best checkpoint kept in ${bestDir}` : ''}`,
    );
  }
  const callbacks = [
    ...(quiet ? [] : [new ProgressReporter({ logEvery: trainerOptions.logEvery, quiet, format: logFormat })]),
    ...(monitor ? [monitor] : []),
    metricsLog,
  ];
  const trainer = new Trainer(method, { ...trainerOptions, quiet: true }, callbacks, { hints: CLI_HINTS });
  const reportConfig = () => ({
    modality: modality.name,
    method: spec.name,
    methodOptions,
    trainer: trainer.options,
    data: resolve(dataPath),
    loaderOptions: loader,
    samples: dataset.size,
    sampleShape,
    backend: backend.name,
  });
  let result: TrainResult;
  try {
    result = await trainer.fit(dataset);
  } catch (err) {
    // A run that blew up (NaN loss or gradient) is the one whose curves matter most: write the
    // report with what was logged, then fail as before.
    if (writeReport && err instanceof NumericalError) {
      const figures = await renderRunFigures({ rows: metricsLog.rows, rng: new Rng(seed) });
      const path = await writeHtmlReport(join(out, REPORT_FILE), {
        title: `${modality.name} / ${spec.name} (failed)`,
        config: reportConfig(),
        summary: { modality: modality.name, method: spec.name, failed_at_step: err.step, error: err.message, out },
        rows: metricsLog.rows,
        figures,
      });
      say(`report of the failed run written to ${path}`, { report: path });
    }
    throw err;
  }
  const encoder = method.encoder;
  await saveEncoder(out, encoder.allVariables(), {
    modality: modality.name,
    method: spec.name,
    methodOptions,
    encoderConfig: encoder.config,
    trainer: trainerOptions,
    result: { steps: result.steps, finalLoss: result.finalLoss, seconds: result.seconds },
    backend: backend.name,
    data: resolve(dataPath),
    loaderOptions: loader,
  });
  say(`encoder saved to ${out}`);
  let best = monitor?.best;
  if (monitor && flags.keepBest) {
    // The best checkpoint's encoder beside it, so probe, embed and export take <out>/best too.
    // Its own state.json says which score and step it holds (after a kill and resume, the
    // folder may hold a step the interrupted process reached past its last checkpoint).
    const { checkpoint: ck } = await loadLatestGoodCheckpoint(bestDir, { validate: checkTrainerState });
    if (ck) {
      const kept = (ck.state as { evaluation?: { monitor?: { knn_accuracy?: unknown } } }).evaluation?.monitor;
      const score = typeof kept?.knn_accuracy === 'number' ? kept.knn_accuracy : Number.NaN;
      const twin = spec.create({ sampleShape, options: methodOptions, rng: new Rng(seed).fork() });
      try {
        restoreVariables(twin.stateVariables(), ck.tensors, CHECKPOINT_PREFIX.method, ck.path);
        await saveEncoder(bestDir, twin.encoder.allVariables(), {
          modality: modality.name,
          method: spec.name,
          methodOptions,
          encoderConfig: twin.encoder.config,
          trainer: trainerOptions,
          result: { steps: ck.step, monitorKnnAccuracy: score },
          backend: backend.name,
          data: resolve(dataPath),
          loaderOptions: loader,
        });
      } finally {
        tf.dispose([...ck.tensors.values()]);
        twin.dispose();
      }
      best = { knnAccuracy: score, step: ck.step, checkpoint: ck.path };
      say(`best encoder (step ${ck.step}, monitor kNN ${score.toFixed(4)}) saved to ${bestDir}`);
    }
  }
  const summary: Record<string, unknown> = {
    modality: modality.name,
    method: spec.name,
    steps: result.steps,
    ...(result.resumedFromStep !== undefined ? { resumed_from_step: result.resumedFromStep } : {}),
    final_loss: result.finalLoss,
    seconds: Number(result.seconds.toFixed(1)),
    backend: backend.name,
    out,
  };
  if (best) {
    summary.best_monitor_knn_accuracy = best.knnAccuracy;
    summary.best_monitor_step = best.step;
    if (best.checkpoint) summary.best_checkpoint = best.checkpoint;
  }
  let probes: ReportProbe[] | undefined;
  let probeNote: string | undefined;
  if (evalData && flags.eval) {
    const evalResult = await evaluateEncoders({
      modality,
      trained: (x: unknown) => method.embed(x as never) as tf.Tensor2D,
      random: () => modality.createEncoder(encoder.config, new Rng(seed + 1)),
      train: evalData.train,
      test: evalData.test,
      load: { ...load, encoder: encoder.config },
      trainLimit: probeTrainLimit,
      seed,
      say: (line: string) => say(line.replace(/^autodidact: /, '')),
    });
    Object.assign(summary, evalResult);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    say(
      `${spec.name} encoder on the test set: linear probe ${pct(evalResult.linear_accuracy)} ` +
        `(random init ${pct(evalResult.random_init_linear_accuracy)}), kNN ${pct(evalResult.knn_accuracy)} ` +
        `(random init ${pct(evalResult.random_init_knn_accuracy)})`,
    );
    probes = [
      {
        name: 'linear probe',
        accuracy: evalResult.linear_accuracy,
        randomInitAccuracy: evalResult.random_init_linear_accuracy,
      },
      { name: 'kNN probe', accuracy: evalResult.knn_accuracy, randomInitAccuracy: evalResult.random_init_knn_accuracy },
    ];
    probeNote = `${evalResult.n_train} labelled training and ${evalResult.n_test} test samples (${evalData.description})`;
  }

  if (plotsDir || writeReport) {
    // The 2-D map shows the labelled probe test set when the run has one (coloured by label),
    // else the training data (coloured only if it carries labels).
    let embeddings: EmbeddingSample | undefined;
    if (mapSamples > 0) {
      const embed = (x: unknown) => method.embed(x as never) as tf.Tensor2D;
      if (evalData) {
        const test = await modality.loadLabeled(evalData.test, { ...load, encoder: encoder.config });
        embeddings = await embeddingSample(embed, test, { limit: mapSamples, source: 'probe test set' });
        await closeDataset(test);
      } else {
        embeddings = await embeddingSample(embed, dataset, { limit: mapSamples, source: 'training data' });
      }
    }
    const figures = await renderRunFigures({ rows: metricsLog.rows, embeddings, rng: new Rng(seed) });
    for (const note of figures.notes ?? []) say(note);
    if (plotsDir) {
      const files = await writePlots(plotsDir, figures);
      say(`plots written to ${plotsDir} (${Object.keys(files).join(', ')})`, { plots: files });
    }
    if (writeReport) {
      const path = await writeHtmlReport(join(out, REPORT_FILE), {
        title: `${modality.name} / ${spec.name}`,
        config: reportConfig(),
        summary: { ...summary, ...(result.stoppedReason ? { stopped: result.stoppedReason } : {}) },
        probes,
        probeNote,
        warnings: result.warnings,
        rows: metricsLog.rows,
        figures,
      });
      summary.report = path;
      say(`report written to ${path}`, { report: path });
    }
  }
  method.dispose();
  if (isStreaming(dataset) && dataset.skipped.length) {
    const first = dataset.skipped[0]!.message;
    say(
      `skipped ${dataset.skipped.length} unreadable samples, each replaced by the next readable one (first: ${first})`,
    );
    summary.skipped_samples = dataset.skipped.length;
  }
  await closeDataset(dataset);
  if (monitor) await closeDataset(monitor.data);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
