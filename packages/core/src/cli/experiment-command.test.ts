import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, DataFormatError } from '../errors.js';
import { runExperimentMain } from './experiment-command.js';

describe('runExperimentMain', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("gives main's exit code and the arguments it was given", async () => {
    const seen: string[][] = [];
    const code = await runExperimentMain(
      async (argv) => {
        seen.push(argv);
        return 2;
      },
      ['crar', '--steps', '3'],
    );
    expect(code).toBe(2);
    expect(seen).toEqual([['crar', '--steps', '3']]);
  });

  it('reports a thrown error as the autodidact command does: one line, exit 2 for configuration, 1 otherwise', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    const fail = (e: unknown) => runExperimentMain(() => Promise.reject(e), [], 'autodidact-classics');
    expect(await fail(new ConfigError('expected a number > 0, got -1', { field: '--steps' }))).toBe(2);
    expect(err).toBe('autodidact-classics: error: --steps: expected a number > 0, got -1\n');
    err = '';
    expect(await fail(new DataFormatError('truncated', { file: '/d/x.wav' }))).toBe(1);
    expect(err).toBe('autodidact-classics: error: /d/x.wav: truncated\n');
    err = '';
    const fsErr = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/runs/x' });
    expect(await fail(fsErr)).toBe(1);
    expect(err).toBe('autodidact-classics: error: /runs/x: no such file or folder\n');
    err = '';
    // A bug keeps its stack: the message alone would hide where it happened.
    expect(await fail(new TypeError('x is undefined'))).toBe(1);
    expect(err).toMatch(/^autodidact-classics: internal error: TypeError: x is undefined\n\s+at /);
    err = '';
    expect(await runExperimentMain(() => Promise.reject(new ConfigError('bad', { field: 'f' })), [])).toBe(2);
    expect(err).toBe('autodidact: error: f: bad\n');
  });
});
