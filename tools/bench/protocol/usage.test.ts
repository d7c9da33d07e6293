import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePhase } from './held-out.js';
import { parseSeeds } from './stats.js';
import { parseChoice, UsageError } from './usage.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('protocol: a bad bench flag', () => {
  it('is a UsageError naming the flag', () => {
    expect(() => parseSeeds('0')).toThrow(UsageError);
    expect(() => parseSeeds('0')).toThrow(/^--seeds: /);
    expect(() => parsePhase('train')).toThrow(UsageError);
    expect(() => parsePhase('train')).toThrow('--split: expected validation or test, got train');
    expect(parseChoice('--set', 'mnist', ['mnist', 'fashion-mnist'])).toBe('mnist');
    expect(() => parseChoice('--simcse-positives', 'next', ['adjacent', 'dropout'])).toThrow(
      '--simcse-positives: expected adjacent or dropout, got next',
    );
  });

  it('ends a bench with one line and exit code 2, no stack trace', () => {
    for (const [bench, args] of [
      ['vision-results.ts', ['--seeds', '0']],
      ['text-genre.ts', ['--split', 'train']],
    ] as const) {
      const run = spawnSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', join(REPO, 'tools/bench', bench), ...args],
        { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, `${bench}: ${run.stderr}`).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^--(seeds|split): /);
    }
  });
});
