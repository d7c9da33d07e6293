import { CommanderError } from 'commander';
import { env } from '../env.js';
import { AutodidactError } from '../errors.js';

/** How the CLI's commands write their messages to stderr. */
export type LogFormat = 'text' | 'json';

/**
 * The message writer of a CLI command: `autodidact: <message>` lines in `text` format, one JSON
 * object per line (`{"event":"info","message":...}`, plus any extra fields) in `json` format,
 * nothing when quiet. Results stay on stdout either way; this is only for stderr.
 */
export function cliLogger(options: {
  quiet: boolean;
  format: LogFormat;
  stream?: { write(text: string): unknown };
}): (message: string, fields?: Record<string, unknown>) => void {
  const stream = options.stream ?? process.stderr;
  return (message, fields) => {
    if (options.quiet) return;
    if (options.format === 'json') stream.write(`${JSON.stringify({ event: 'info', message, ...fields })}\n`);
    else stream.write(`autodidact: ${message}\n`);
  };
}

/** A command's message settings, from {@link commandMessages}. */
export interface CommandMessages {
  quiet: boolean;
  logFormat: LogFormat;
  /** Whether the backend's start-up lines stay off: when quiet, and with JSON messages (one object a line). */
  quietBackend: boolean;
  /** The command's message writer ({@link cliLogger}). */
  say: ReturnType<typeof cliLogger>;
}

/** A command's messages as its `--quiet` and `--log-format` flags set them, else the environment. */
export function commandMessages(flags: { quiet?: boolean; logFormat?: LogFormat }): CommandMessages {
  const quiet = flags.quiet ?? env.quiet;
  const logFormat = flags.logFormat ?? env.logFormat;
  return {
    quiet,
    logFormat,
    quietBackend: quiet || logFormat === 'json',
    say: cliLogger({ quiet, format: logFormat }),
  };
}

/** How the CLI reports an error that ended a command: the stderr line and the exit code. */
export interface CliErrorReport {
  /** Exit code: 2 for usage and configuration errors, 1 for the others. */
  exitCode: number;
  /** The line for stderr, ending in a newline; empty when commander has printed it already (text). */
  line: string;
}

/**
 * The one line the CLI writes for an error (the end of every error path of `main`). Text:
 * `<program>: error: <message>` for typed errors and file-system errors, `<program>: internal
 * error: <stack>` for bugs (`program` is `autodidact` unless an experiment CLI names itself); commander's own usage errors are printed by commander. JSON: one
 * object `{"event":"error","code":...,"message":...}` with the error's typed fields (`field`,
 * `file`, `path`, `step`), and `stack` for internal errors, whatever the error.
 */
export function reportCliError(err: unknown, format: LogFormat, program = 'autodidact'): CliErrorReport {
  const json = (exitCode: number, fields: Record<string, unknown>): CliErrorReport => ({
    exitCode,
    line: `${JSON.stringify({ event: 'error', ...fields, exit_code: exitCode })}\n`,
  });
  if (err instanceof CommanderError) {
    const exitCode =
      err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    if (exitCode === 0 || format === 'text') return { exitCode, line: '' };
    return json(exitCode, { code: err.code, message: err.message.replace(/^error: /, '') });
  }
  if (err instanceof AutodidactError) {
    const exitCode = err.code === 'CONFIG' ? 2 : 1;
    if (format === 'text') return { exitCode, line: `${program}: error: ${err.message}\n` };
    const typed = err as AutodidactError & { field?: string; file?: string; path?: string; step?: number };
    const extra: Record<string, unknown> = {};
    for (const k of ['field', 'file', 'path', 'step', 'tensorName'] as const) {
      if ((typed as unknown as Record<string, unknown>)[k] !== undefined) {
        extra[k] = (typed as unknown as Record<string, unknown>)[k];
      }
    }
    return json(exitCode, { code: err.code, error: err.name, message: err.message, ...extra });
  }
  const e = err as NodeJS.ErrnoException;
  if (e && FILE_ERRORS.has(e.code ?? '')) {
    const message = `${e.path ?? ''}: ${e.code === 'ENOENT' ? 'no such file or folder' : e.message}`;
    if (format === 'text') return { exitCode: 1, line: `${program}: error: ${message}\n` };
    return json(1, { code: e.code, message, ...(e.path ? { path: e.path } : {}) });
  }
  const stack = (err as Error)?.stack ?? String(err);
  if (format === 'text') return { exitCode: 1, line: `${program}: internal error: ${stack}\n` };
  return json(1, {
    code: 'INTERNAL',
    error: (err as Error)?.name ?? typeof err,
    message: (err as Error)?.message ?? String(err),
    stack,
  });
}

/** File-system error codes reported as a one-line error naming the path (not as a bug). */
const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'ELOOP']);

/**
 * The log format a command line asks for (`--log-format json` or `--log-format=json`), else
 * `fallback` (the environment's): known before commander has parsed anything, so that even a
 * usage error is reported in it.
 */
export function logFormatOf(argv: readonly string[], fallback: LogFormat): LogFormat {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const v = a === '--log-format' ? argv[i + 1] : a.startsWith('--log-format=') ? a.slice(13) : undefined;
    if (v === 'json' || v === 'text') return v;
  }
  return fallback;
}
