import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type Batch, DigitsClassifier } from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadLatestGoodCheckpoint } from '../checkpoint/load-checkpoint.js';
import { restoreVariables } from '../checkpoint/restore-variables.js';
import { ConfigError } from '../errors.js';
import type { StepInfo, TrainerCallback } from '../trainer/callbacks.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { tempDir } from '../test-support/temp-dirs.js';
import { ProgressReporter } from '../trainer/progress.js';
import { CHECKPOINT_PREFIX, checkTrainerState, Trainer } from '../trainer/trainer.js';
import { KnnMonitor, monitorInterval, stratifiedMonitorSplit } from './knn-monitor.js';

const haveDigits = digitsPresent('kNN monitor tests');

describe('stratifiedMonitorSplit', () => {
  // 3 classes of 600, 300 and 100 samples, interleaved.
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));

  it('draws each class in proportion, splits it in half, and never repeats a sample', () => {
    const { bank, queries } = stratifiedMonitorSplit(labels, 200, 0.5, 3);
    expect(bank.length + queries.length).toBe(200);
    const count = (idx: number[], c: number) => idx.filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(bank, c) + count(queries, c))).toEqual([120, 60, 20]);
    expect([0, 1, 2].map((c) => count(bank, c))).toEqual([60, 30, 10]);
    expect(new Set([...bank, ...queries]).size).toBe(200);
    expect(bank).toEqual([...bank].sort((a, b) => a - b));
  });

  it('is fixed by the seed and differs between seeds', () => {
    expect(stratifiedMonitorSplit(labels, 100, 0.5, 1)).toEqual(stratifiedMonitorSplit(labels, 100, 0.5, 1));
    expect(stratifiedMonitorSplit(labels, 100, 0.5, 1).bank).not.toEqual(
      stratifiedMonitorSplit(labels, 100, 0.5, 2).bank,
    );
  });

  it('hands out the remainder by largest share and caps the size at the set', () => {
    const { bank, queries } = stratifiedMonitorSplit(labels, 7, 0.5, 0);
    expect(bank.length + queries.length).toBe(7); // 4.2, 2.1, 0.7 -> 4, 2, 1
    expect(stratifiedMonitorSplit(labels, 5000, 0.5, 0).bank.length).toBe(600 / 2 + 300 / 2 + 100 / 2);
  });

  it('auto interval gives about 20 points per run', () => {
    expect(monitorInterval('auto', 150)).toBe(7);
    expect(monitorInterval('auto', 10_000)).toBe(500);
    expect(monitorInterval('auto', 5)).toBe(1);
    expect(monitorInterval(3, 10_000)).toBe(3);
  });
});

describe.skipIf(!haveDigits)('KnnMonitor during training on digits', () => {
  const digits = useDigits({ train: 1024, rest: true });
  const dir = tempDir('autodidact-knn-monitor-');

  const options = { hidden: 16, seed: 1, noise: 0.1 };
  const trainerOptions = { batchSize: 64, optimizer: { name: 'adam' as const, lr: 0.01 }, quiet: true };

  it('scores at the right steps, rises above chance, keeps tensors flat and keeps the best checkpoint', async () => {
    const method = new DigitsClassifier(options);
    const best = join(dir.path, 'best');
    const monitor = new KnnMonitor<Batch>(digits.rest, { size: 400, every: 5, keepBestDir: best, seed: 2 });
    expect(monitor.bank.size + monitor.queries.size).toBe(400);
    expect(monitor.bank.size - monitor.queries.size).toBeLessThanOrEqual(10); // each class's odd one goes to the bank
    const infos: StepInfo[] = [];
    const tensors: number[] = [];
    const probe: TrainerCallback = {
      onStepEnd: (i) => {
        infos.push(i);
        if (i.monitor) tensors.push(tf.memory().numTensors);
      },
    };
    const printed: string[] = [];
    const progress = new ProgressReporter({
      logEvery: 1000,
      quiet: false,
      format: 'text',
      stream: { write: (t: string) => printed.push(t) },
    });
    const trainer = new Trainer(method, { ...trainerOptions, steps: 32 }, [progress, monitor, probe]);
    await trainer.fit(digits.train);

    const scored = infos.filter((i) => i.monitor);
    expect(scored.map((i) => i.step)).toEqual([5, 10, 15, 20, 25, 30, 32]);
    const acc = scored.map((i) => i.monitor!.knn_accuracy!);
    expect(acc[acc.length - 1]).toBeGreaterThan(0.6); // chance is 0.1
    expect(acc[acc.length - 1]).toBeGreaterThan(acc[0]! - 0.05);
    expect(new Set(tensors).size).toBe(1);
    const top = Math.max(...acc);
    expect(scored.map((i) => i.monitor!.best_knn_accuracy)).toEqual(
      acc.map((_, j) => Math.max(...acc.slice(0, j + 1))),
    );
    expect(monitor.best?.knnAccuracy).toBe(top);
    // The progress line of a monitor step shows the score and the best so far.
    const line20 = printed.find((l) => l.startsWith('step 20/32'));
    expect(line20).toContain(
      `monitor kNN ${acc[3]!.toPrecision(4)} (best ${Math.max(...acc.slice(0, 4)).toPrecision(4)})`,
    );

    // The kept checkpoint verifies, holds the step of the best score, and its weights score it again.
    const { checkpoint: ck, skipped } = await loadLatestGoodCheckpoint(best, { validate: checkTrainerState });
    expect(skipped).toEqual([]);
    const bestStep = scored[acc.indexOf(top)]!.step;
    expect(ck?.step).toBe(bestStep);
    const saved = ck!.state as { evaluation: { monitor: { knn_accuracy: number; step: number } } };
    expect(saved.evaluation.monitor).toMatchObject({ knn_accuracy: top, step: bestStep });
    const fresh = new DigitsClassifier({ ...options, seed: 99 });
    restoreVariables(fresh.stateVariables(), ck!.tensors, CHECKPOINT_PREFIX.method, ck!.path);
    tf.dispose([...ck!.tensors.values()]);
    expect(await monitor.evaluate((b) => fresh.embed(b))).toBe(top);
    fresh.dispose();
    method.dispose();
  });

  it('a resumed run keeps the best score reached before the kill', async () => {
    const ckDir = join(dir.path, 'resume');
    const run = async (steps: number) => {
      const method = new DigitsClassifier(options);
      const monitor = new KnnMonitor<Batch>(digits.rest, { size: 200, every: 4 });
      let bestAtStart: number | undefined;
      const infos: StepInfo[] = [];
      const spy: TrainerCallback = {
        onTrainStart: () => {
          bestAtStart = monitor.best?.knnAccuracy;
        },
        onStepEnd: (i) => {
          infos.push(i);
        },
      };
      const trainer = new Trainer(method, { ...trainerOptions, steps, checkpointDir: ckDir }, [monitor, spy]);
      await trainer.fit(digits.train);
      method.dispose();
      return { bestAtStart, best: monitor.best, infos };
    };
    const first = await run(12);
    expect(first.bestAtStart).toBeUndefined();
    expect(first.best?.step).toBeGreaterThan(0);
    const second = await run(20);
    expect(second.infos[0]!.step).toBe(13);
    expect(second.bestAtStart).toBe(first.best!.knnAccuracy);
    const firstScored = second.infos.find((i) => i.monitor)!;
    expect(firstScored.monitor!.best_knn_accuracy).toBeGreaterThanOrEqual(first.best!.knnAccuracy);
  });

  it('refuses unlabelled data and a sample too small to split', () => {
    const unlabelled = { size: 10, getBatch: () => ({}) as Batch, source: 'x.csv' };
    expect(() => new KnnMonitor(unlabelled)).toThrow(ConfigError);
    expect(() => new KnnMonitor(unlabelled)).toThrow(/labelled.*x\.csv/);
    expect(() => new KnnMonitor(digits.rest, { size: 1 })).toThrow(/size/);
  });
});
