import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

const out = mkdtempSync(join(tmpdir(), 'classics-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('autodidact-classics', () => {
  it('exits 2 on an unknown command or a bad option, naming it', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['unknown'])).toBe(2);
    expect(await main(['crar', '--steps', 'many'])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/--steps.*many/);
    err.mockRestore();
  });

  it('crar writes summary.json and the SVG plots to --out', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['crar', '--steps', '5', '--seed', '1', '--out', out, '--quiet'])).toBe(0);
    log.mockRestore();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      experiment: string;
      steps: number;
      r2After: number;
    };
    expect(summary.experiment).toBe('crar');
    expect(summary.steps).toBe(5);
    expect(Number.isFinite(summary.r2After)).toBe(true);
    const svg = readFileSync(join(out, 'abstract-states.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<circle/);
    expect(existsSync(join(out, 'abstract-states-init.svg'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/classics \/ crar/);
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(6); // header + 5 steps
  }, 30_000);

  it('becker-hinton prints a JSON summary line', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    expect(await main(['becker-hinton', '--steps', '5', '--quiet'])).toBe(0);
    log.mockRestore();
    const summary = JSON.parse(lines.at(-1)!) as { experiment: string; correlationAfter: number };
    expect(summary.experiment).toBe('becker-hinton');
    expect(summary.correlationAfter).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('checkpoints to <out>/checkpoints; the same command after an interruption resumes exactly', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const read = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
        resumedFromStep?: number;
        r2After: number;
        states: unknown[];
      };
    const whole = join(out, 'whole');
    const split = join(out, 'split');
    expect(await main(['crar', '--steps', '6', '--out', whole, '--quiet'])).toBe(0);
    expect(await main(['crar', '--steps', '3', '--out', split, '--quiet'])).toBe(0);
    expect(existsSync(join(split, 'checkpoints'))).toBe(true);
    expect(await main(['crar', '--steps', '6', '--out', split, '--quiet'])).toBe(0);
    expect(read(split).resumedFromStep).toBe(3);
    expect(read(split).r2After).toBe(read(whole).r2After);
    expect(read(split).states).toEqual(read(whole).states);
    // --no-resume starts over: back at step 0, the same end as the whole run.
    expect(await main(['crar', '--steps', '6', '--out', split, '--quiet', '--no-resume'])).toBe(0);
    expect(read(split).resumedFromStep).toBeUndefined();
    expect(read(split).states).toEqual(read(whole).states);
    log.mockRestore();
  }, 60_000);
});
