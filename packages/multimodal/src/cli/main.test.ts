import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@autodidact/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', '..', '..', 'data');
const haveFashion = existsSync(join(dataDir, 'fashion-mnist'));
if (!haveFashion) console.warn(`skipping autodidact-multimodal runs: data/fashion-mnist missing in ${dataDir}`);

const out = mkdtempSync(join(tmpdir(), 'multimodal-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A small fashion-text run: a few hundred images, narrow towers. */
const SMALL = [
  'clip',
  '--pairing',
  'fashion-text',
  '--batch-size',
  '16',
  '--width',
  '4',
  '--train-images',
  '200',
  '--test-images',
  '100',
  '--retrieval-pairs',
  '50',
  '--data',
  dataDir,
  '--quiet',
];

interface Summary {
  experiment: string;
  pairing: string;
  steps: number;
  resumedFromStep?: number;
  finalLoss: number;
  zeroShotImage: number;
  zeroShotOther: number;
  recallImageToOther: Record<string, number>;
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('autodidact-multimodal', () => {
  it('exits 2 on an unknown command or a bad option, naming it', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['unknown'])).toBe(2);
    expect(await main(['clip', '--steps', 'many'])).toBe(2);
    expect(await main(['clip', '--pairing', 'smell-sound'])).toBe(2);
    expect(await main(['clip', '--width', '2.5'])).toBe(2);
    const text = err.mock.calls.flat().join('\n');
    expect(text).toMatch(/--steps.*many/);
    expect(text).toMatch(/--pairing.*smell-sound/);
    expect(text).toMatch(/--width.*2\.5/);
    err.mockRestore();
  });

  it.skipIf(!haveFashion)(
    'prints the zero-shot accuracies as a JSON line; writes summary, metrics and report to --out',
    async () => {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
      const dir = join(out, 'one');
      expect(await main([...SMALL, '--steps', '3', '--out', dir])).toBe(0);
      log.mockRestore();
      const printed = JSON.parse(lines.at(-1)!) as Summary;
      expect(printed).toEqual(read(dir));
      expect(printed.experiment).toBe('clip');
      expect(printed.pairing).toBe('fashion-text');
      expect(printed.steps).toBe(3);
      expect(printed.zeroShotImage).toBeGreaterThanOrEqual(0);
      expect(printed.zeroShotImage).toBeLessThanOrEqual(1);
      expect(Number.isFinite(printed.finalLoss)).toBe(true);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/multimodal \/ clip \(fashion-text\)/);
      expect(readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(4); // header + 3 steps
      expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    },
    60_000,
  );

  it.skipIf(!haveFashion)(
    'checkpoints to <out>/checkpoints; the same command after an interruption resumes exactly',
    async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const whole = join(out, 'whole');
      const split = join(out, 'split');
      expect(await main([...SMALL, '--steps', '4', '--out', whole])).toBe(0);
      expect(await main([...SMALL, '--steps', '2', '--out', split])).toBe(0);
      expect(existsSync(join(split, 'checkpoints'))).toBe(true);
      expect(await main([...SMALL, '--steps', '4', '--out', split])).toBe(0);
      const { resumedFromStep, ...resumed } = read(split);
      const { resumedFromStep: none, ...straight } = read(whole);
      expect(resumedFromStep).toBe(2);
      expect(none).toBeUndefined();
      // trainSeconds is wall-clock; everything measured after training is identical.
      expect({ ...resumed, trainSeconds: 0 }).toEqual({ ...straight, trainSeconds: 0 });
      // --no-resume starts over: back at step 0, the same end as the whole run.
      expect(await main([...SMALL, '--steps', '4', '--out', split, '--no-resume'])).toBe(0);
      const again = read(split);
      expect(again.resumedFromStep).toBeUndefined();
      expect({ ...again, trainSeconds: 0 }).toEqual({ ...straight, trainSeconds: 0 });
      log.mockRestore();
    },
    60_000,
  );
});
