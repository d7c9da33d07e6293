#!/usr/bin/env node
/**
 * `autodidact-multimodal`: trains and scores a CLIP pairing with one command.
 *
 *   autodidact-multimodal clip [--pairing digits-audio|fashion-text] [--steps 300] [--seed 0]
 *     [--batch-size 64] [--width 16] [--train-images 10000] [--test-images 1000]
 *     [--retrieval-pairs 200] [--data dir] [--out dir] [--no-resume] [--quiet]
 *
 * Trains with core's Trainer ({@link runClipExperiment}). `--out` receives the Trainer's
 * checkpoints in `<out>/checkpoints` (every 500 steps and at the end; an interrupted run given
 * the same command resumes from them exactly, unless `--no-resume`), the per-step metrics
 * (`metrics.jsonl`, `metrics.csv`), `report.html` (training curves, configuration, summary) and
 * `summary.json` (the measurements). The summary, with the zero-shot accuracies of the trained
 * and the random-init model, is also printed as one JSON line. Data from `--data`, else
 * AUTODIDACT_DATA_DIR, else ./data. Exit codes: 0 on success, 2 on a bad command line.
 */
import { resolve } from 'node:path';
import {
  ConfigError,
  env,
  initBackend,
  integerOption,
  parseExperimentArgs,
  runExperimentMain,
  writeExperimentOutputs,
} from '@autodidact/core';
import { type ClipTask, runClipExperiment } from '../experiments.js';

const PAIRINGS: readonly ClipTask[] = ['digits-audio', 'fashion-text'];

const USAGE =
  'usage: autodidact-multimodal clip [--pairing digits-audio|fashion-text] [--steps N] [--seed N] ' +
  '[--batch-size N] [--width N] [--train-images N] [--test-images N] [--retrieval-pairs N] ' +
  '[--data dir] [--out dir] [--no-resume] [--quiet]';

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = parseExperimentArgs(argv, {
    usage: USAGE,
    commands: { clip: { steps: 300 } },
    options: {
      pairing: { type: 'string' },
      'batch-size': { type: 'string' },
      width: { type: 'string' },
      'train-images': { type: 'string' },
      'test-images': { type: 'string' },
      'retrieval-pairs': { type: 'string' },
      data: { type: 'string' },
    },
  });
  if (typeof args === 'number') return args;
  const { values, steps, seed, quiet, out, training } = args;
  const pairing = (values.pairing ?? 'digits-audio') as ClipTask;
  let sizes: { batchSize: number; width: number; trainImages: number; testImages: number; retrievalPairs: number };
  try {
    if (!PAIRINGS.includes(pairing))
      throw new ConfigError(`expected one of ${PAIRINGS.join(', ')}, got '${String(pairing)}'`, { field: '--pairing' });
    sizes = {
      batchSize: integerOption('batch-size', values['batch-size'], 64),
      width: integerOption('width', values.width, 16),
      trainImages: integerOption('train-images', values['train-images'], 10000),
      testImages: integerOption('test-images', values['test-images'], 1000),
      retrievalPairs: integerOption('retrieval-pairs', values['retrieval-pairs'], 200),
    };
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const dataDir = typeof values.data === 'string' ? resolve(values.data) : (env.dataDir ?? resolve('data'));
  const backend = await initBackend({ quiet });
  const r = await runClipExperiment(pairing, {
    dataDir,
    ...sizes,
    steps: training.steps,
    seed: training.seed,
    quiet: training.quiet,
    resume: training.resume,
    ...(training.checkpointDir ? { checkpointDir: training.checkpointDir } : {}),
    ...(training.callbacks ? { callbacks: training.callbacks } : {}),
  });
  const summary = {
    experiment: 'clip',
    pairing,
    steps,
    seed,
    backend: backend.name,
    ...(r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {}),
    finalLoss: r.finalLoss,
    scale: r.scale,
    chance: r.chance,
    zeroShotImage: r.trained.zeroShotA,
    zeroShotOther: r.trained.zeroShotB,
    zeroShotImageRandomInit: r.random.zeroShotA,
    zeroShotOtherRandomInit: r.random.zeroShotB,
    recallImageToOther: r.trained.aToB.recall,
    recallOtherToImage: r.trained.bToA.recall,
    trainSeconds: Math.round(r.seconds * 10) / 10,
  };
  const written = await writeExperimentOutputs(args, {
    title: `multimodal / clip (${pairing})`,
    config: { experiment: 'clip', pairing, steps, seed, ...sizes, backend: backend.name },
    summary,
  });
  if (out && !quiet) console.error(`wrote ${written.join(', ')}`);
  if (!quiet) {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.error(
      `zero-shot image ${pct(summary.zeroShotImage)} (random init ${pct(summary.zeroShotImageRandomInit)}), ` +
        `other ${pct(summary.zeroShotOther)} (random init ${pct(summary.zeroShotOtherRandomInit)}), chance ${pct(r.chance)}`,
    );
  }
  console.log(JSON.stringify(summary));
  return 0;
}

// Run only when this file is the program (node dist/cli/main.js, or src/cli/main.ts under tsx), not when
// imported by the bin shim (bin/autodidact-multimodal.js) or a test.
if (process.argv[1] && /cli[\\/]main\.[jt]s$/.test(process.argv[1])) {
  runExperimentMain(main, process.argv.slice(2), 'autodidact-multimodal').then((code) => process.exit(code));
}
