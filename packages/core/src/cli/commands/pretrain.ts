import { join, resolve } from 'node:path';
import { initBackend, SLOW_BACKENDS } from '../../backend/index.js';
import { closeDataset, isStreaming } from '../../data/streaming-dataset.js';
import { Rng } from '../../random/rng.js';
import { MetricsLog } from '../../report/metrics-log.js';
import { ProgressReporter, Trainer } from '../../trainer/index.js';
import { loadModality } from '../load-modality.js';
import { commandMessages } from '../log-output.js';
import { formatLoaderFlags, withoutEncoderDecided } from '../loader-options.js';
import type { LoadOptions } from '../modality.js';
import { prepareOutDir, undoOutDir } from '../out-dir.js';
import { CLI_HINTS } from '../setting-hints.js';
import { estimateRun, refuseSlowRun } from '../slow-run-guard.js';
import { type PretrainFlags, planPretrain, trainerOptionsFor } from './pretrain-plan.js';
import {
  evaluatePretrained,
  findPretrainData,
  loadPretrainData,
  openMonitor,
  type RunRecord,
  runSummary,
  saveBestEncoder,
  saveTrainedEncoder,
  trainOrReportFailure,
  writeFiguresAndReport,
} from './pretrain-steps.js';

export type { PretrainFlags } from './pretrain-plan.js';

/**
 * `autodidact pretrain <modality> --method m [--data p] --out dir`: plan (every flag checked) ->
 * find and load the data -> build the method -> train -> save -> evaluate -> map, plots and
 * report -> the summary line on stdout. Each step is a function of pretrain-plan.ts or
 * pretrain-steps.ts.
 */
export async function pretrainCommand(modalityName: string, flags: PretrainFlags): Promise<void> {
  const { quiet, logFormat, quietBackend, say } = commandMessages(flags);
  const modality = await loadModality(modalityName);
  const plan = planPretrain(modality, flags);
  const { spec, methodOptions, loader, seed } = plan;
  // Before anything loads: an --out that cannot be written would otherwise fail after the data.
  const made: string[] = [];
  const out = await prepareOutDir(flags.out, '--out', made);
  if (plan.plotsDir) await prepareOutDir(plan.plotsDir, '--plots', made);
  const backend = await initBackend({ prefer: flags.backend, quiet: quietBackend });
  if (logFormat === 'json') say(`backend ${backend.name}`, { backend: backend.name });

  const { dataPath, evalData } = await findPretrainData(modality, flags.data, plan.monitorPath, say, made);
  const load: LoadOptions = { strict: flags.strict, loader, log: (line: string) => say(line), dataMode: plan.dataMode };
  const dataset = await loadPretrainData(modality, dataPath, load, plan.limit);
  const sampleShape = dataset.sampleShape ? [...dataset.sampleShape] : [];
  const build = (rng: Rng) => spec.create({ sampleShape, options: methodOptions, rng });
  const method = build(new Rng(seed).fork());
  const trainerOptions = trainerOptionsFor(plan, flags, out, quiet);
  if (SLOW_BACKENDS.includes(backend.name) && !flags.allowSlow) {
    try {
      const create = () => build(new Rng(seed).fork());
      refuseSlowRun(await estimateRun({ create, dataset, trainer: trainerOptions }), backend.name);
    } catch (err) {
      await undoOutDir(made); // a refused run leaves nothing behind
      throw err;
    }
  }
  const dataFlags = formatLoaderFlags(modality.loaderOptions ?? [], loader);
  say(
    `pretraining ${modality.name}/${spec.name} on ${dataset.size} samples ` +
      `[${sampleShape.join('x')}]${dataFlags ? ` (${dataFlags})` : ''} with ${backend.name}`,
  );
  // Labelled data for the trained encoder (monitor, evaluation, map) is read at its input's shape.
  const labelledLoad: LoadOptions = { ...load, loader: withoutEncoderDecided(modality.loaderOptions ?? [], loader) };
  const metricsLog = new MetricsLog({ dir: out });
  const bestDir = join(out, 'best');
  const monitor = await openMonitor(modality, plan, method, labelledLoad, flags.keepBest ? bestDir : undefined, say);
  const callbacks = [
    ...(quiet ? [] : [new ProgressReporter({ logEvery: trainerOptions.logEvery, quiet, format: logFormat })]),
    ...(monitor ? [monitor] : []),
    metricsLog,
  ];
  const trainer = new Trainer(method, { ...trainerOptions, quiet: true }, callbacks, { hints: CLI_HINTS });
  const record: RunRecord = {
    modality: modality.name,
    method: spec.name,
    methodOptions,
    data: resolve(dataPath),
    loaderOptions: loader,
    backend: backend.name,
    out,
    seed,
  };
  const reportConfig = () => ({
    modality: modality.name,
    method: spec.name,
    methodOptions,
    trainer: trainer.options,
    data: record.data,
    loaderOptions: loader,
    samples: dataset.size,
    sampleShape,
    backend: backend.name,
  });
  const result = await trainOrReportFailure(trainer, dataset, metricsLog, record, reportConfig, plan.writeReport, say);

  await saveTrainedEncoder(method, record, trainerOptions, result);
  say(`encoder saved to ${out}`);
  const kept =
    monitor && flags.keepBest
      ? await saveBestEncoder(bestDir, () => build(new Rng(seed).fork()), record, trainerOptions, say)
      : undefined;
  const summary = runSummary(record, result, kept ?? monitor?.best);

  const evaluation =
    evalData && flags.eval ? await evaluatePretrained(modality, method, evalData, labelledLoad, plan, say) : undefined;
  if (evaluation) Object.assign(summary, evaluation.scores);
  const report = await writeFiguresAndReport({
    modality,
    method,
    plan,
    dataset,
    evalData,
    load: labelledLoad,
    metricsLog,
    record,
    reportConfig,
    summary,
    result,
    evaluation,
    say,
  });
  if (report) summary.report = report;

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
