/**
 * Every error path of `main` ends in one stderr line, as text or (`--log-format json`) as one
 * JSON object; a bad `--out` (a file, a file on the way, a read-only folder, /proc or /sys) is
 * refused before anything loads, quickly; `--checkpoint-every` and `--batch-size` below a
 * method's minimum are checked with the other flags.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataFormatError } from '../errors.js';
import { parseCheckpointEvery } from './checkpoint-every.js';
import { logFormatOf, reportCliError } from './log-output.js';
import { type CliRun, runCli } from '../test-support/run-cli.js';
import { prepareOutDir } from './out-dir.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs the CLI in-process with stdout and stderr captured, and how long it took. */
async function run(args: string[]): Promise<CliRun & { ms: number }> {
  const t0 = performance.now();
  const r = await runCli(args);
  return { ...r, ms: performance.now() - t0 };
}

/** The stderr of a JSON-mode run: exactly one line, one object. */
function oneJsonError(stderr: string): Record<string, unknown> {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(obj.event).toBe('error');
  return obj;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autodidact-cli-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareOutDir', () => {
  it('creates missing folders and leaves nothing else behind', async () => {
    const out = await prepareOutDir(join(dir, 'a', 'b', 'c'));
    expect(out).toBe(join(dir, 'a', 'b', 'c'));
    expect(await readdir(out)).toEqual([]);
    expect(await prepareOutDir(out)).toBe(out); // an existing folder is fine
  });

  it('an existing file, or a file on the way, is a ConfigError naming the path', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(prepareOutDir(file)).rejects.toThrow(
      new ConfigError(`${file}: is a file, not a folder (EEXIST)`, { field: '--out' }),
    );
    await expect(prepareOutDir(join(file, 'sub', 'deeper'), '--plots')).rejects.toThrow(
      `--plots: ${join(file, 'sub', 'deeper')}: ${file} is a file, so no folder can be made inside it (ENOTDIR)`,
    );
  });

  it('/proc and /sys are refused at once (node’s recursive mkdir spins forever on /proc)', async () => {
    const t0 = performance.now();
    await expect(prepareOutDir('/proc/autodidact-out/run')).rejects.toThrow(
      /^--out: \/proc\/autodidact-out\/run: is on the kernel's proc pseudo-filesystem \(\/proc\), which holds no files/,
    );
    await expect(prepareOutDir('/sys/autodidact-out')).rejects.toThrow(/kernel's sysfs pseudo-filesystem \(\/sys\)/);
    await expect(prepareOutDir('/proc/self/autodidact')).rejects.toThrow(/kernel's proc pseudo-filesystem/);
    expect(performance.now() - t0).toBeLessThan(2000);
  }, 10_000);

  it('a folder this user cannot write is refused (EACCES), naming it', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const root = process.getuid?.() === 0;
    if (!root) {
      await expect(prepareOutDir(join(locked, 'run'))).rejects.toThrow(
        `--out: ${join(locked, 'run')}: cannot create ${join(locked, 'run')}: permission denied (EACCES)`,
      );
      await expect(prepareOutDir(locked)).rejects.toThrow(/is not writable: permission denied \(EACCES\)/);
      return;
    }
    // As root permission bits do not bind: check as the unprivileged user `nobody` in a child.
    await chmod(dir, 0o755);
    const script = `
      const { prepareOutDir } = await import(${JSON.stringify(new URL('./out-dir.ts', import.meta.url).href)});
      for (const p of process.argv.slice(1)) {
        try { await prepareOutDir(p); console.log('ok'); } catch (e) { console.log(e.message); }
      }`;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, join(locked, 'run'), locked],
      { cwd: repo, uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      `--out: ${join(locked, 'run')}: cannot create ${join(locked, 'run')}: permission denied (EACCES)`,
      `--out: ${locked}: is not writable: permission denied (EACCES)`,
    ]);
  }, 60_000);
});

describe('main: a bad --out fails first, in one line', () => {
  it('pretrain and export with --out a file: exit 2 before the data or the encoder is looked at', async () => {
    const file = join(dir, 'out-is-a-file');
    await writeFile(file, 'x');
    const missing = join(dir, 'no-such-data');
    const pre = await run(['pretrain', 'vision', '--method', 'simclr', '--data', missing, '--out', file]);
    expect(pre.code).toBe(2);
    expect(pre.stderr).toBe(`autodidact: error: --out: ${file}: is a file, not a folder (EEXIST)\n`);
    const exp = await run(['export', join(dir, 'no-such-run'), '--out', file]);
    expect(exp.code).toBe(2);
    expect(exp.stderr).toBe(`autodidact: error: --out: ${file}: is a file, not a folder (EEXIST)\n`);
    const json = await run(['export', join(dir, 'no-such-run'), '--out', file, '--log-format', 'json']);
    expect(oneJsonError(json.stderr)).toEqual({
      event: 'error',
      code: 'CONFIG',
      error: 'ConfigError',
      message: `--out: ${file}: is a file, not a folder (EEXIST)`,
      field: '--out',
      exit_code: 2,
    });
  });

  it('pretrain --out inside /proc returns at once with one line', async () => {
    const r = await run(['pretrain', 'vision', '--method', 'simclr', '--out', '/proc/autodidact-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^autodidact: error: --out: \/proc\/autodidact-run: is on the kernel's proc pseudo/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.ms).toBeLessThan(5000);
  }, 20_000);
});

describe('main: --log-format json reports every error as one JSON object', () => {
  const out = () => join(dir, 'json-run');
  it('commander usage errors (unknown option, missing argument, bad choice)', async () => {
    for (const [args, code] of [
      [['pretrain', 'vision', '--method', 'simclr', '--frobnicate', '--log-format', 'json'], 'commander.unknownOption'],
      [['pretrain', 'vision', '--log-format=json'], 'commander.missingMandatoryOptionValue'],
      [['export', 'x', '--out', out(), '--format', 'zip', '--log-format', 'json'], 'commander.invalidArgument'],
      [['no-such-command', '--log-format', 'json'], 'commander.unknownCommand'],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      const e = oneJsonError(r.stderr);
      expect(e.code).toBe(code);
      expect(e.exit_code).toBe(2);
      expect(String(e.message)).not.toMatch(/^error: /);
    }
    // Text mode still lets commander print its message and the help.
    const text = await run(['pretrain', 'vision', '--method', 'simclr', '--frobnicate']);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: unknown option '--frobnicate'/);
  });

  it('configuration errors, data errors and --help', async () => {
    const method = await run(['pretrain', 'vision', '--method', 'nope', '--out', out(), '--log-format', 'json']);
    expect(method.code).toBe(2);
    expect(oneJsonError(method.stderr)).toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/unknown vision method 'nope'/),
    });
    const data = await run([
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--data',
      join(dir, 'missing.idx'),
      '--out',
      out(),
      '--log-format',
      'json',
      '--quiet',
    ]);
    expect(data.code).toBe(1);
    const e = oneJsonError(data.stderr);
    expect(String(e.message)).toContain(join(dir, 'missing.idx'));
    const help = await run(['pretrain', '--help', '--log-format', 'json']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toContain('--checkpoint-every');
  });

  it('--batch-size below the method’s minimum and a bad --checkpoint-every are refused before loading', async () => {
    const missing = join(dir, 'never-read');
    const small = await run(['pretrain', 'vision', '--method', 'simclr', '--batch-size', '1', '--data', missing]);
    expect(small.code).toBe(2);
    expect(small.stderr).toBe(
      "autodidact: error: --batch-size: method 'simclr' needs at least 2 samples per batch (NT-Xent tells each image apart from the other images of its batch; with one image the loss is 0), got 1\n",
    );
    const every = await run([
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--checkpoint-every',
      '5x',
      '--data',
      missing,
    ]);
    expect(every.code).toBe(2);
    expect(every.stderr).toMatch(/^autodidact: error: --checkpoint-every: expected a number of steps .* got '5x'\n$/);
  });
});

describe('reportCliError', () => {
  it('internal errors: text keeps the stack; JSON puts it in one object', () => {
    const bug = new TypeError('x is undefined');
    const text = reportCliError(bug, 'text');
    expect(text.exitCode).toBe(1);
    expect(text.line).toMatch(/^autodidact: internal error: TypeError: x is undefined\n {4}at /);
    const json = reportCliError(bug, 'json');
    expect(json.line.split('\n')).toHaveLength(2); // one line and its newline
    expect(JSON.parse(json.line)).toMatchObject({
      event: 'error',
      code: 'INTERNAL',
      error: 'TypeError',
      message: 'x is undefined',
      stack: expect.stringContaining('at '),
      exit_code: 1,
    });
  });

  it('typed errors carry their fields; file-system errors name the path; --help is not an error', () => {
    const data = reportCliError(new DataFormatError('truncated', { file: '/d/x.wav' }), 'json');
    expect(JSON.parse(data.line)).toEqual({
      event: 'error',
      code: 'DATA_FORMAT',
      error: 'DataFormatError',
      message: '/d/x.wav: truncated',
      file: '/d/x.wav',
      exit_code: 1,
    });
    const fsErr = Object.assign(new Error("EROFS: read-only file system, open '/ro/x'"), {
      code: 'EROFS',
      path: '/ro/x',
    });
    expect(reportCliError(fsErr, 'text').line).toBe(
      "autodidact: error: /ro/x: EROFS: read-only file system, open '/ro/x'\n",
    );
    expect(reportCliError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 'json')).toEqual({
      exitCode: 0,
      line: '',
    });
  });

  it('logFormatOf reads the flag in both spellings before commander parses', () => {
    expect(logFormatOf(['pretrain', '--log-format', 'json'], 'text')).toBe('json');
    expect(logFormatOf(['pretrain', '--log-format=json'], 'text')).toBe('json');
    expect(logFormatOf(['pretrain', '--log-format', 'text'], 'json')).toBe('text');
    expect(logFormatOf(['pretrain'], 'json')).toBe('json');
    expect(logFormatOf(['x', '--', '--log-format', 'json'], 'text')).toBe('text');
  });
});

describe('parseCheckpointEvery', () => {
  it('steps or wall time, each replacing the other cadence', () => {
    expect(parseCheckpointEvery(undefined)).toEqual({});
    expect(parseCheckpointEvery('200')).toEqual({ checkpointEvery: 200, checkpointEverySeconds: 0 });
    expect(parseCheckpointEvery('30s')).toEqual({ checkpointEvery: 0, checkpointEverySeconds: 30 });
    expect(parseCheckpointEvery('5m')).toEqual({ checkpointEvery: 0, checkpointEverySeconds: 300 });
    expect(parseCheckpointEvery('1.5h')).toEqual({ checkpointEvery: 0, checkpointEverySeconds: 5400 });
    for (const bad of ['0', '-3', '5x', 'm', '0s', '1e3', '']) {
      expect(() => parseCheckpointEvery(bad), bad).toThrow(/--checkpoint-every: expected a number of steps/);
    }
  });
});
