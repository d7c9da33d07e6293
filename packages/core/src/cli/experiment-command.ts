/**
 * The shared command line of the experiment CLIs (`autodidact-classics`, `autodidact-multimodal`):
 * `<command> [--steps N] [--seed N] [--out dir] [--no-resume] [--quiet]` plus a command's own
 * options, parsed with one-line errors (exit code 2), the Trainer's checkpoints and metrics files
 * under `--out`, and the run's `summary.json`, extra files and `report.html` written at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import { reportCliError } from './log-output.js';
import { Rng } from '../random/rng.js';
import { REPORT_FILE, writeHtmlReport } from '../report/html-report.js';
import { renderRunFigures } from '../report/plots.js';
import { MetricsLog } from '../report/metrics-log.js';
import type { SettingHints } from '../trainer/index.js';

/** The experiment CLIs' words in the Trainer's resume errors (`--no-resume`, `--steps 600`). */
export const EXPERIMENT_HINTS: SettingHints = {
  startOver: '--no-resume',
  separator: ' ',
  setting: (field, value) =>
    field === 'steps' || field === 'seed' ? `--${field} ${value}` : `${field}=${JSON.stringify(value) ?? 'unset'}`,
};

/** What {@link parseExperimentArgs} parses. */
export interface ExperimentCommandSpec {
  /** The usage line printed with `--help` and after a bad command line. */
  usage: string;
  /** The commands and each one's default `--steps`. */
  commands: Readonly<Record<string, { steps: number }>>;
  /** A command's own options (node:util parseArgs options), beside the common ones. */
  options?: ParseArgsConfig['options'];
}

/** A parsed experiment command line. */
export interface ExperimentArgs {
  command: string;
  steps: number;
  seed: number;
  /** Absolute `--out` folder, when given. */
  out?: string;
  /** False with `--no-resume`. */
  resume: boolean;
  quiet: boolean;
  /** Every option's raw value, the command's own ones included. */
  values: Record<string, string | boolean | undefined>;
  /** The Trainer's checkpoint and metrics options for `--out` (none without it). */
  training: {
    steps: number;
    seed: number;
    quiet: boolean;
    resume: boolean;
    hints: SettingHints;
    checkpointDir?: string;
    callbacks?: MetricsLog[];
  };
  /** The metrics log the Trainer writes under `--out`. */
  metricsLog?: MetricsLog;
}

/**
 * Parses a non-negative integer option or throws a ConfigError naming it.
 * @throws ConfigError when `value` is not a non-negative integer.
 */
export function integerOption(name: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 0)
    throw new ConfigError(`expected a non-negative integer, got '${value}'`, { field: `--${name}` });
  return n;
}

/**
 * Parses an experiment command line. Returns the exit code instead when the command is done
 * (0 after `--help`) or bad (2, after one line naming the problem on stderr).
 */
export function parseExperimentArgs(argv: string[], spec: ExperimentCommandSpec): ExperimentArgs | number {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...spec.options,
        steps: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'no-resume': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (err) {
    console.error(`${(err as Error).message}\n${spec.usage}`);
    return 2;
  }
  if (values.help) {
    console.log(spec.usage);
    return 0;
  }
  const command = positionals[0];
  const defaults = command !== undefined && Object.hasOwn(spec.commands, command) ? spec.commands[command] : undefined;
  if (!defaults) {
    console.error(`unknown command '${command ?? ''}'\n${spec.usage}`);
    return 2;
  }
  let steps: number;
  let seed: number;
  try {
    steps = integerOption('steps', values.steps, defaults.steps);
    seed = integerOption('seed', values.seed, 0);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const quiet = values.quiet === true;
  const resume = values['no-resume'] !== true;
  const out = typeof values.out === 'string' ? resolve(values.out) : undefined;
  const metricsLog = out ? new MetricsLog({ dir: out }) : undefined;
  return {
    command,
    steps,
    seed,
    resume,
    quiet,
    values,
    ...(out ? { out } : {}),
    ...(metricsLog ? { metricsLog } : {}),
    training: {
      steps,
      seed,
      quiet,
      resume,
      hints: EXPERIMENT_HINTS,
      ...(out ? { checkpointDir: join(out, 'checkpoints') } : {}),
      ...(metricsLog ? { callbacks: [metricsLog] } : {}),
    },
  };
}

/**
 * Writes a finished run's `summary.json`, `files` and `report.html` (training curves from the
 * metrics log, `config`, the summary's scalar fields) to `args.out`; nothing without `--out`.
 * Returns the paths written.
 */
export async function writeExperimentOutputs(
  args: ExperimentArgs,
  run: {
    title: string;
    config: Readonly<Record<string, unknown>>;
    summary: Record<string, unknown>;
    files?: Record<string, string>;
  },
): Promise<string[]> {
  const { out, metricsLog } = args;
  if (!out || !metricsLog) return [];
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(run.summary, null, 2)}\n`);
  const files = run.files ?? {};
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  const headline: Record<string, string | number | boolean | undefined> = {};
  for (const [k, v] of Object.entries(run.summary)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') headline[k] = v;
  }
  await writeHtmlReport(join(out, REPORT_FILE), {
    title: run.title,
    config: run.config,
    summary: headline,
    rows: metricsLog.rows,
    figures: await renderRunFigures({ rows: metricsLog.rows, rng: new Rng(args.seed) }),
  });
  return ['summary.json', REPORT_FILE, ...Object.keys(files)].map((f) => join(out, f));
}

/**
 * Runs an experiment CLI's `main` on `argv` and gives its exit code. An error it throws is
 * reported as the `autodidact` command reports one (core's `reportCliError`, text): one line
 * `<program>: error: <message>` with exit code 2 for configuration errors and 1 for data and
 * file errors, and `<program>: internal error: <stack>` with exit code 1 for a bug.
 */
export async function runExperimentMain(
  main: (argv: string[]) => Promise<number>,
  argv: string[],
  program = 'autodidact',
): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    const { exitCode, line } = reportCliError(err, 'text', program);
    if (line) process.stderr.write(line);
    return exitCode;
  }
}
