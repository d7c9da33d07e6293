/**
 * `autodidact pretrain --monitor` end to end on real MNIST through the CLI entry point: the
 * online kNN accuracy shows in the progress events, in metrics.jsonl at the right steps and as
 * a curve in report.html; `--keep-best` keeps a verified checkpoint of the best score, and a
 * resumed run keeps that score; a bad `--monitor` is one line naming the path.
 */
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLatestGoodCheckpoint } from '../../checkpoint/load-checkpoint.js';
import { readMetricsLog } from '../../report/metrics-log.js';
import { checkTrainerState } from '../../trainer/trainer.js';
import { mnistPresent, mnistTest, mnistTrain } from '../../test-support/mnist.js';
import { probeMnistArgs, simclrMnistArgs } from '../../test-support/mnist-cli-args.js';
import { runCli } from '../../test-support/run-cli.js';
import { tempDirs } from '../../test-support/temp-dirs.js';

const haveMnist = mnistPresent('the pretrain --monitor test');

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe.skipIf(!haveMnist)('autodidact pretrain --monitor', () => {
  const tempDir = tempDirs();

  it('logs monitor_knn_accuracy every N steps, draws it, keeps the best checkpoint and its score across a resume', async () => {
    const dir = await tempDir('autodidact-monitor-');
    const out = join(dir, 'run');
    const args = (steps: number) =>
      simclrMnistArgs(
        { limit: 256, batchSize: 32, steps, out },
        '--monitor',
        mnistTrain,
        '--monitor-every',
        '4',
        '--monitor-size',
        '200',
        '--keep-best',
        '--map-samples',
        '0',
        '--log-format',
        'json',
      );
    const first = await runCli(args(8));
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(args(12));
    expect(second.code, second.stderr).toBe(0);

    // The progress events carry the score on the monitor's steps.
    const events = lines(first.stderr + second.stderr).map(
      (l) => JSON.parse(l) as { event: string; step?: number; monitor?: Record<string, number> },
    );
    expect(events.filter((e) => e.event === 'step' && e.monitor).map((e) => e.step)).toEqual([4, 8, 12]);

    // metrics.jsonl: the score at steps 4, 8 and 12 (8 kept from before the resume), above chance (0.1).
    const rows = (await readMetricsLog(out)).filter((r) => typeof r.monitor_knn_accuracy === 'number');
    expect(rows.map((r) => r.step)).toEqual([4, 8, 12]);
    const acc = rows.map((r) => r.monitor_knn_accuracy as number);
    for (const a of acc) expect(a).toBeGreaterThan(0.3);
    const csv = (await readFile(join(out, 'metrics.csv'), 'utf8')).split('\n');
    const col = csv[0]!.split(',').indexOf('monitor_knn_accuracy');
    expect(col).toBeGreaterThan(0);
    expect(
      csv
        .slice(1)
        .filter((l) => l !== '' && l.split(',')[col] !== '')
        .map((l) => Number(l.split(',')[col])),
    ).toEqual(acc);
    const top = Math.max(...acc);
    const topStep = rows[acc.indexOf(top)]!.step;
    // The resumed run's running best starts from the score reached before it.
    expect(rows[2]!.monitor_best_knn_accuracy).toBe(top);
    expect(rows[2]!.monitor_best_knn_accuracy).toBeGreaterThanOrEqual(Math.max(acc[0]!, acc[1]!));

    const summary = JSON.parse(lines(second.stdout).at(-1)!) as Record<string, unknown>;
    expect(summary.best_monitor_knn_accuracy).toBe(top);
    expect(summary.best_monitor_step).toBe(topStep);

    // <out>/best holds one verified trainer checkpoint at the best step, with that score.
    const { checkpoint: ck, skipped } = await loadLatestGoodCheckpoint(join(out, 'best'), {
      validate: checkTrainerState,
    });
    expect(skipped).toEqual([]);
    expect(ck?.step).toBe(topStep);
    for (const t of ck!.tensors.values()) t.dispose();
    const state = ck!.state as { evaluation?: { monitor?: { knn_accuracy: number; k: number; temperature: number } } };
    expect(state.evaluation?.monitor).toMatchObject({ knn_accuracy: top, k: 20, temperature: 0.07 });

    // The best encoder beside it: probe takes <out>/best like any pretrain output.
    const probe = await runCli(probeMnistArgs(join(out, 'best'), '--kind', 'knn'));
    expect(probe.code, probe.stderr).toBe(0);
    expect((JSON.parse(lines(probe.stdout).at(-1)!) as { accuracy: number }).accuracy).toBeGreaterThan(0.3);

    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<figure id="figure-monitor"');
    expect(html).toContain('data-column="monitor_knn_accuracy"');
  }, 180_000);

  it('a missing --monitor path, or --keep-best without --monitor, is one line before any work; images without labels, or the test split the run reports on, one line naming them', async () => {
    const dir = await tempDir('autodidact-monitor-bad-');
    const missing = join(dir, 'no-such-validation-set');
    const base = ['pretrain', 'vision', '--method', 'simclr', '--data', mnistTrain, '--out', join(dir, 'run')];
    const bad = await runCli([...base, '--monitor', missing]);
    expect(bad.code).toBe(2); // a usage error
    expect(lines(bad.stderr)).toHaveLength(1);
    expect(bad.stderr).toContain(`--monitor: ${missing}: no such file`);
    expect(existsSync(join(dir, 'run'))).toBe(false);

    // Images without their labels file: one line naming the file, after the training data loaded.
    const unlabelled = join(dir, 'unlabelled-images-idx3-ubyte');
    await copyFile(mnistTest, unlabelled);
    const noLabels = await runCli([
      ...base,
      '--limit',
      '64',
      '--batch-size',
      '32',
      '--steps',
      '1',
      '-q',
      '--monitor',
      unlabelled,
    ]);
    expect(noLabels.code).not.toBe(0);
    expect(lines(noLabels.stderr)).toEqual([
      `autodidact: error: ${unlabelled}: no labels file beside the images (looked for *-labels-idx1-ubyte[.gz])`,
    ]);

    // The test split the run reports on (the default data's) is refused, naming it.
    const onTest = await runCli([
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--out',
      join(dir, 'run-test'),
      '--monitor',
      mnistTest,
    ]);
    expect(onTest.code).toBe(2);
    expect(lines(onTest.stderr).at(-1)).toBe(
      `autodidact: error: --monitor: ${mnistTest} is the test split this run reports on ` +
        '(MNIST (60,000 training and 10,000 test digits)); choosing a checkpoint on it spoils that number: ' +
        'monitor on a validation set',
    );
    expect(existsSync(join(dir, 'run-test'))).toBe(false);

    const orphan = await runCli([...base, '--keep-best']);
    expect(orphan.code).toBe(2);
    expect(lines(orphan.stderr)).toEqual(['autodidact: error: --keep-best: needs --monitor <labelled data>']);
  }, 60_000);
});
