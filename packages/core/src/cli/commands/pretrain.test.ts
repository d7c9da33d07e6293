/**
 * `autodidact pretrain` end to end through the CLI entry point, on real MNIST through the
 * vision modality (loaded at run time, as the CLI always does): --log-format json gives JSON
 * lines on stderr, --out receives the metrics files and report.html, --plots the SVG figures.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsLog } from '../../report/metrics-log.js';
import { mnistPresent } from '../../test-support/mnist.js';
import { simclrMnistArgs } from '../../test-support/mnist-cli-args.js';
import { runCli } from '../../test-support/run-cli.js';
import { tempDirs } from '../../test-support/temp-dirs.js';

const haveMnist = mnistPresent('the pretrain CLI test');

describe.skipIf(!haveMnist)('autodidact pretrain: logs, plots and report', () => {
  const tempDir = tempDirs();

  it('--log-format json, metrics files, --plots and report.html; a second run resumes without duplicate steps', async () => {
    const dir = await tempDir('autodidact-pretrain-');
    const out = join(dir, 'run');
    const plots = join(dir, 'plots');
    const args = (steps: number) =>
      simclrMnistArgs(
        { limit: 256, batchSize: 32, steps, out },
        '--plots',
        plots,
        '--map-samples',
        '64',
        '--log-format',
        'json',
      );
    const runs = [await runCli(args(4)), await runCli(args(6))];
    const stderr = runs.map((r) => r.stderr).join('');
    expect(
      runs.map((r) => r.code),
      stderr,
    ).toEqual([0, 0]);

    // Every stderr line is a JSON object with an event.
    const events = stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event: string; step?: number; resumedFromStep?: number });
    expect(events.every((e) => typeof e.event === 'string')).toBe(true);
    expect(events.filter((e) => e.event === 'start').map((e) => e.resumedFromStep)).toEqual([undefined, 4]);
    expect(events.some((e) => e.event === 'step' && e.step === 6)).toBe(true);

    const summaries = runs.map((r) => JSON.parse(r.stdout) as { steps: number; report: string });
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
    const refused = [
      await runCli([...args(8), '--option', 'temperature=0.5']),
      await runCli([...args(8), '--lr', '0.01']),
      await runCli(args(3)),
    ];
    expect(refused.map((r) => r.code)).toEqual([1, 1, 1]);
    const errors = refused
      .map((r) => r.stderr)
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
