#!/usr/bin/env node
/**
 * `autodidact-classics`: runs a classic experiment with one command and writes what it measured.
 *
 *   autodidact-classics becker-hinton [--steps 600] [--seed 0] [--out dir] [--no-resume]
 *   autodidact-classics crar [--steps 1500] [--seed 0] [--out dir] [--no-resume]
 *
 * Both train with core's Trainer. `--out` receives the Trainer's checkpoints in
 * `<out>/checkpoints` (every 500 steps or 2 minutes, and at the end; an interrupted run given
 * the same command resumes from them exactly, unless `--no-resume`), the per-step metrics
 * (`metrics.jsonl`, `metrics.csv`), `report.html` (training curves, configuration, summary),
 * `summary.json` (the measurements) and, for crar, `abstract-states.svg` and
 * `abstract-states-init.svg`. The
 * summary is also printed as one JSON line. Exit codes: 0 on success, 2 on a bad command line.
 */
import { initBackend, parseExperimentArgs, runExperimentMain, writeExperimentOutputs } from '@autodidact/core';
import { trainCrar } from '../crar/train-crar.js';
import { trainBeckerHinton } from '../imax/becker-hinton.js';

const USAGE = `usage: autodidact-classics <becker-hinton|crar> [--steps N] [--seed N] [--out dir] [--no-resume] [--quiet]`;

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = parseExperimentArgs(argv, {
    usage: USAGE,
    commands: { 'becker-hinton': { steps: 600 }, crar: { steps: 1500 } },
  });
  if (typeof args === 'number') return args;
  const { command, steps, seed, quiet, out, training } = args;
  const backend = await initBackend({ quiet });
  let summary: Record<string, unknown>;
  const files: Record<string, string> = {};
  // The run's configuration: the report shows it and every summary starts with it.
  const config = { experiment: command, steps, seed, backend: backend.name };
  if (command === 'becker-hinton') {
    const r = await trainBeckerHinton(training);
    summary = {
      ...config,
      ...resumedFrom(r),
      correlationBefore: r.correlationBefore,
      correlationAfter: r.correlationAfter,
      correlationAfterB: r.correlationAfterB,
      information: r.information,
      trainMs: Math.round(r.trainMs),
    };
  } else {
    const r = await trainCrar(training);
    summary = {
      ...config,
      ...resumedFrom(r),
      r2Before: r.r2Before,
      r2After: r.r2After,
      r2InSampleBefore: r.r2InSampleBefore,
      r2InSampleAfter: r.r2InSampleAfter,
      finalLosses: r.finalLosses,
      trainMs: Math.round(r.trainMs),
      states: r.states,
    };
    files['abstract-states.svg'] = r.svg;
    files['abstract-states-init.svg'] = r.svgBefore;
  }
  const written = await writeExperimentOutputs(args, {
    title: `classics / ${command}`,
    config,
    summary,
    files,
  });
  if (out && !quiet) console.error(`wrote ${written.join(', ')}`);
  const { states: _states, ...line } = summary;
  console.log(JSON.stringify(line));
  return 0;
}

/** `{ resumedFromStep }` when the run resumed from a checkpoint, else nothing. */
function resumedFrom(r: { resumedFromStep?: number }): { resumedFromStep?: number } {
  return r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {};
}

// Run only when this file is the program (node dist/cli/main.js, or src/cli/main.ts under tsx), not when
// imported by the bin shim (bin/autodidact-classics.js) or a test.
if (process.argv[1] && /cli[\\/]main\.[jt]s$/.test(process.argv[1])) {
  runExperimentMain(main, process.argv.slice(2), 'autodidact-classics').then((code) => process.exit(code));
}
