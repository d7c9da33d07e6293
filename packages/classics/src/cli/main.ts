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
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  initBackend,
  MetricsLog,
  REPORT_FILE,
  Rng,
  renderRunFigures,
  type SettingHints,
  writeHtmlReport,
} from '@autodidact/core';
import { trainCrar } from '../crar/train-crar.js';
import { trainBeckerHinton } from '../imax/becker-hinton.js';

const USAGE = `usage: autodidact-classics <becker-hinton|crar> [--steps N] [--seed N] [--out dir] [--no-resume] [--quiet]`;

/** This command's words in the Trainer's resume errors. */
const HINTS: SettingHints = {
  startOver: '--no-resume',
  separator: ' ',
  setting: (field, value) =>
    field === 'steps' || field === 'seed' ? `--${field} ${value}` : `${field}=${JSON.stringify(value) ?? 'unset'}`,
};

/** Parses a non-negative integer option or throws a ConfigError naming it. */
function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`expected a non-negative integer, got '${value}'`, { field: `--${name}` });
  return n;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        steps: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'no-resume': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const command = positionals[0];
  if (command !== 'becker-hinton' && command !== 'crar') {
    console.error(`unknown command '${command ?? ''}'\n${USAGE}`);
    return 2;
  }
  let steps: number;
  let seed: number;
  try {
    steps = intOption('steps', values.steps as string | undefined, command === 'crar' ? 1500 : 600);
    seed = intOption('seed', values.seed as string | undefined, 0);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const quiet = values.quiet === true;
  const out = typeof values.out === 'string' ? resolve(values.out) : undefined;
  const backend = await initBackend({ quiet });
  const log = (s: string) => {
    if (!quiet) console.error(s);
  };
  // The Trainer's checkpoints and metrics files under --out, its progress lines on stderr unless --quiet.
  const metricsLog = out ? new MetricsLog({ dir: out }) : undefined;
  const training = {
    steps,
    seed,
    quiet,
    hints: HINTS,
    resume: values['no-resume'] !== true,
    ...(out ? { checkpointDir: join(out, 'checkpoints') } : {}),
    ...(metricsLog ? { callbacks: [metricsLog] } : {}),
  };
  let summary: Record<string, unknown>;
  const files: Record<string, string> = {};
  if (command === 'becker-hinton') {
    const r = await trainBeckerHinton(training);
    summary = {
      experiment: 'becker-hinton',
      steps,
      seed,
      backend: backend.name,
      ...(r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {}),
      correlationBefore: r.correlationBefore,
      correlationAfter: r.correlationAfter,
      correlationAfterB: r.correlationAfterB,
      information: r.information,
      trainMs: Math.round(r.trainMs),
    };
  } else {
    const r = await trainCrar(training);
    summary = {
      experiment: 'crar',
      steps,
      seed,
      backend: backend.name,
      ...(r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {}),
      r2Before: r.r2Before,
      r2After: r.r2After,
      finalLosses: r.finalLosses,
      trainMs: Math.round(r.trainMs),
      states: r.states,
    };
    files['abstract-states.svg'] = r.svg;
    files['abstract-states-init.svg'] = r.svgBefore;
  }
  if (out && metricsLog) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
    const headline: Record<string, string | number | boolean | undefined> = {};
    for (const [k, v] of Object.entries(summary)) {
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') headline[k] = v;
    }
    await writeHtmlReport(join(out, REPORT_FILE), {
      title: `classics / ${command}`,
      config: { experiment: command, steps, seed, backend: backend.name },
      summary: headline,
      rows: metricsLog.rows,
      figures: await renderRunFigures({ rows: metricsLog.rows, rng: new Rng(seed) }),
    });
    log(`wrote ${['summary.json', REPORT_FILE, ...Object.keys(files)].map((f) => join(out, f)).join(', ')}`);
  }
  const { states: _states, ...line } = summary;
  console.log(JSON.stringify(line));
  return 0;
}

// Run only when this file is the program (node dist/cli/main.js, or src/cli/main.ts under tsx), not when
// imported by the bin shim (bin/autodidact-classics.js) or a test.
if (process.argv[1] && /cli[\\/]main\.[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
