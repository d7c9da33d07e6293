import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('prints a thrown error as its message alone and gives exit code 1', async () => {
    const lines: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      lines.push(line);
    });
    expect(await runExperimentMain(() => Promise.reject(new Error('out of disk')), [])).toBe(1);
    expect(await runExperimentMain(() => Promise.reject('not an Error'), [])).toBe(1);
    expect(lines).toEqual(['out of disk', 'not an Error']);
  });
});
