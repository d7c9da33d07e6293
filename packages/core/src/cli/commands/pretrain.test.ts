/**
 * `autodidact pretrain` end to end through the CLI entry point, on real MNIST through the
 * vision modality (loaded at run time, as the CLI always does): --log-format json gives JSON
 * lines on stderr, --out receives the metrics files and report.html, --plots the SVG figures.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { env } from '../../env.js';
import { readMetricsLog } from '../../report/metrics-log.js';
import { main } from '../main.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const mnist = join(env.dataDir ?? join(repo, 'data'), 'mnist', 'train-images-idx3-ubyte');
const haveMnist = existsSync(mnist);
if (!haveMnist) console.warn(`skipping the pretrain CLI test: ${mnist} is missing (run node tools/fetch-data.mjs)`);

describe.skipIf(!haveMnist)('autodidact pretrain: logs, plots and report', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('--log-format json, metrics files, --plots and report.html; a second run resumes without duplicate steps', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autodidact-pretrain-'));
    dirs.push(dir);
    const out = join(dir, 'run');
    const plots = join(dir, 'plots');
    const args = (steps: number) => [
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--data',
      mnist,
      '--limit',
      '256',
      '--batch-size',
      '32',
      '--steps',
      String(steps),
      '--out',
      out,
      '--plots',
      plots,
      '--map-samples',
      '64',
      '--log-format',
      'json',
    ];
    const stderr: string[] = [];
    const stdout: string[] = [];
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => stderr.push(String(s)) > 0);
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => stdout.push(String(s)) > 0);
    let codes: number[];
    try {
      codes = [await main(args(4)), await main(args(6))];
    } finally {
      errSpy.mockRestore();
      outSpy.mockRestore();
    }
    expect(codes, stderr.join('')).toEqual([0, 0]);

    // Every stderr line is a JSON object with an event.
    const events = stderr
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event: string; step?: number; resumedFromStep?: number });
    expect(events.every((e) => typeof e.event === 'string')).toBe(true);
    expect(events.filter((e) => e.event === 'start').map((e) => e.resumedFromStep)).toEqual([undefined, 4]);
    expect(events.some((e) => e.event === 'step' && e.step === 6)).toBe(true);

    const summaries = stdout.map((l) => JSON.parse(l) as { steps: number; report: string });
    expect(summaries.map((s) => s.steps)).toEqual([4, 6]);
    expect(summaries[1]!.report).toBe(join(out, 'report.html'));

    const rows = await readMetricsLog(out);
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const csv = (await readFile(join(out, 'metrics.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv).toHaveLength(7);

    // A 6-step run still gets collapse diagnostics (every step: max(1, floor(6 / 25))).
    expect((await readdir(plots)).sort()).toEqual(['collapse.svg', 'embedding-map.svg', 'loss.svg', 'lr.svg']);
    const map = await readFile(join(plots, 'embedding-map.svg'), 'utf8');
    // No probe set (explicit --data), but the IDX training data carries its labels: coloured map.
    expect(map).toContain('aria-label="Title text \'Embeddings of 64 samples (training data), UMAP\'"');
    expect(map).toContain('role-legend');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<figure id="figure-loss"');
    expect(html).toContain('<figure id="figure-embedding-map"');
    expect(html).toContain('id="no-probes"');

    // Resuming with other settings, or fewer steps than done, is refused in one JSON line that
    // shows both values and the flags to pass; nothing is trained or overwritten.
    const refused: string[] = [];
    const errSpy2 = vi.spyOn(process.stderr, 'write').mockImplementation((s) => refused.push(String(s)) > 0);
    let refusedCodes: number[];
    try {
      refusedCodes = [
        await main([...args(8), '--option', 'temperature=0.5']),
        await main([...args(8), '--lr', '0.01']),
        await main(args(3)),
      ];
    } finally {
      errSpy2.mockRestore();
    }
    expect(refusedCodes).toEqual([1, 1, 1]);
    const errors = refused
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event: string; message?: string })
      .filter((e) => e.event === 'error')
      .map((e) => e.message!.slice(e.message!.indexOf(': ') + 2));
    expect(errors).toEqual([
      "settings differ from the checkpoint's: temperature 0.5 (checkpoint: 0.2); resume with --option temperature=0.2, or pass --no-resume to start over",
      "settings differ from the checkpoint's: optimizer.lr 0.01 (checkpoint: 0.002); resume with --lr 0.002, or pass --no-resume to start over",
      'checkpoint is at step 6, past the 3 steps this run asks for; resume with --steps 6 or more, or pass --no-resume to start over',
    ]);
    expect((await readMetricsLog(out)).map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);
});
