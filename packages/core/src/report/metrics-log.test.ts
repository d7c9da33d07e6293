import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DigitsClassifier } from '../../../../tools/fixtures/optim/digits-classifier.js';
import { checkpointFolderName } from '../checkpoint/checkpoint-layout.js';
import { DataFormatError } from '../errors.js';
import type { TrainerCallback } from '../trainer/callbacks.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { tempDirs } from '../test-support/temp-dirs.js';
import { Trainer } from '../trainer/trainer.js';
import { MetricsLog, readMetricsLog } from './metrics-log.js';
import { METRICS_DIAGNOSTIC_COLUMNS, type MetricsRow } from './metrics-row.js';

const haveDigits = digitsPresent('metrics-log tests');

/** A small CSV reader for the test (no quoting needed: our headers and numbers have no commas). */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

const trainerOptions = (dir: string, steps: number) => ({
  batchSize: 32,
  steps,
  optimizer: { name: 'adam' as const, lr: 0.02 },
  quiet: true,
  diagnosticsEvery: 8,
  checkpointDir: join(dir, 'checkpoints'),
  checkpointEvery: 10,
  keepCheckpoints: 3,
});

describe.skipIf(!haveDigits)('MetricsLog on a real training run (digits classifier)', () => {
  const digits = useDigits({ train: 512, initBackend: true });
  const tempDir = tempDirs();

  it('writes parseable JSONL and CSV with every step, the method metric and diagnostics', async () => {
    const dir = await tempDir('autodidact-metrics-');
    const log = new MetricsLog({ dir });
    const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const counts: number[] = [];
    const probe: TrainerCallback = { onStepEnd: () => void counts.push(tf.memory().numTensors) };
    const result = await new Trainer(method, trainerOptions(dir, 24), [log, probe]).fit(digits.train);
    method.dispose();
    expect(new Set(counts.slice(2)).size).toBe(1); // logging adds no tensors

    const rows = await readMetricsLog(dir);
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(rows.map((r) => r.loss)).toEqual(result.lossHistory);
    for (const r of rows) {
      expect(r.lr).toBeCloseTo(0.02, 12);
      expect(r.samples_per_sec).toBeGreaterThan(0);
      expect(r.metric_accuracy).toBeGreaterThanOrEqual(0);
      expect(r.metric_accuracy).toBeLessThanOrEqual(1);
      // diagnostics exactly on the steps the trainer computed them (every 8th)
      expect('diag_std_ratio' in r).toBe(r.step % 8 === 0);
    }
    const withDiag = rows.filter((r) => r.step % 8 === 0);
    for (const r of withDiag) {
      expect(r.diag_effective_rank).toBeGreaterThanOrEqual(1);
      expect(r.diag_effective_rank).toBeLessThanOrEqual(16);
    }

    const csv = parseCsv(await readFile(join(dir, 'metrics.csv'), 'utf8'));
    expect(csv.header.slice(0, 8)).toEqual([
      'step',
      'epoch',
      'loss',
      'lr',
      'grad_norm',
      'samples_per_sec',
      'elapsed_seconds',
      'metric_accuracy',
    ]);
    expect(csv.header.slice(8)).toEqual([...METRICS_DIAGNOSTIC_COLUMNS]);
    expect(csv.rows).toHaveLength(24);
    const col = (name: string) => csv.rows.map((r) => r[csv.header.indexOf(name)]!);
    expect(col('step').map(Number)).toEqual(rows.map((r) => r.step));
    expect(col('loss').map(Number)).toEqual(result.lossHistory); // full precision survives the CSV
    expect(col('diag_std_ratio').map((v) => v !== '')).toEqual(rows.map((r) => r.step % 8 === 0));
  });

  it('a resumed run drops the rows written after its checkpoint and duplicates no step', async () => {
    const dir = await tempDir('autodidact-metrics-');
    // First process: stops at step 17 and its step-17 checkpoint is lost (as if killed before
    // writing it), so the newest checkpoint is step 10 while the log already holds 17 rows.
    const first = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    let trainer: Trainer<unknown> | undefined;
    const stopper: TrainerCallback = { onStepEnd: (i) => (i.step === 17 ? trainer?.stop('test') : undefined) };
    trainer = new Trainer(first, trainerOptions(dir, 30), [new MetricsLog({ dir }), stopper]) as Trainer<unknown>;
    await trainer.fit(digits.train as never);
    first.dispose();
    await rm(join(dir, 'checkpoints', checkpointFolderName(17)), { recursive: true });
    const before = await readMetricsLog(dir);
    expect(before.map((r) => r.step)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));

    const second = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const log = new MetricsLog({ dir });
    const result = await new Trainer(second, trainerOptions(dir, 30), [log]).fit(digits.train);
    second.dispose();
    expect(result.resumedFromStep).toBe(10);

    const rows = await readMetricsLog(dir);
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(rows.slice(0, 10)).toEqual(before.slice(0, 10)); // kept as written
    // the resumed run re-ran steps 11-17 exactly (same data order, RNG and weights)
    expect(rows.slice(10, 17).map((r) => r.loss)).toEqual(before.slice(10, 17).map((r) => r.loss));
    expect(rows.map((r) => r.loss)).toEqual(result.lossHistory);
    const csv = parseCsv(await readFile(join(dir, 'metrics.csv'), 'utf8'));
    expect(csv.rows.map((r) => Number(r[0]))).toEqual(rows.map((r: MetricsRow) => r.step));
  });

  it('a fresh run replaces an old log; a corrupt line is a DataFormatError naming the line', async () => {
    const dir = await tempDir('autodidact-metrics-');
    for (const steps of [12, 5]) {
      const method = new DigitsClassifier({ hidden: 8, seed: 2, noise: 0 });
      await new Trainer(method, { ...trainerOptions(dir, steps), checkpointDir: undefined }, [
        new MetricsLog({ dir }),
      ]).fit(digits.train);
      method.dispose();
    }
    expect((await readMetricsLog(dir)).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    const bad = join(dir, 'bad.jsonl');
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, '{"step":1}\n{"step":2,\n'));
    await expect(readMetricsLog(bad)).rejects.toThrow(DataFormatError);
    await expect(readMetricsLog(bad)).rejects.toThrow(/bad\.jsonl: line 2/);
    expect(await readMetricsLog(bad, { lenient: true })).toEqual([{ step: 1 }]);
  });
});
