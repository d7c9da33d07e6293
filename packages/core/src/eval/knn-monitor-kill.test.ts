import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadLatestGoodCheckpoint } from '../checkpoint/load-checkpoint.js';
import { Rng } from '../random/rng.js';
import { childImports, childScriptDir, runThroughKills } from '../test-support/kill-runs.js';
import type { TrainerOptions } from '../trainer/options.js';
import { checkTrainerState, Trainer } from '../trainer/trainer.js';
import { KnnMonitor } from './knn-monitor.js';

// A run with the kNN monitor and --keep-best in a child process is SIGKILLed at random steps
// (checkpoints every 5 steps, the monitor every 4, so kills land between a best checkpoint and
// the next trainer checkpoint) and restarted until it finishes. Every score and running best it
// reports, and the kept best checkpoint, must equal those of an uninterrupted run: a resumed
// run keeps the best score already reached.
const from = childImports(import.meta.url);
const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 64,
  steps: 40,
  optimizer: { name: 'adam', lr: 0.01 },
  quiet: true,
  checkpointEvery: 5,
  checkpointEverySeconds: 0,
  diagnosticsEvery: 0,
};
const MONITOR = { size: 300, every: 4 };
// argv: checkpoint dir, best dir, options JSON.
const CHILD = `
import * as tf from '@tensorflow/tfjs';
import { Trainer } from ${from('../trainer/trainer.ts')};
import { KnnMonitor } from ${from('./knn-monitor.ts')};
import { DigitsClassifier, DigitsDataset, loadDigits } from ${from('../../../../tools/fixtures/optim/digits-classifier.ts')};
const { x, y } = loadDigits();
const data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
const held = new DigitsDataset(tf.tensor2d(x.slice(1024)), y.slice(1024));
const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
const monitor = new KnnMonitor(held, { ...${JSON.stringify(MONITOR)}, keepBestDir: process.argv[3] });
const options = { ...JSON.parse(process.argv[4]), checkpointDir: process.argv[2] };
await new Trainer(method, options, [
  monitor,
  {
    onStepEnd: (i) => {
      const m = i.monitor ? ' ' + i.monitor.knn_accuracy + ' ' + i.monitor.best_knn_accuracy : '';
      process.stdout.write(i.step + m + '\\n');
    },
  },
]).fit(data);
process.stdout.write('done\\n');
`;

describe.skipIf(!haveDigits)('kNN monitor: kill -9 and resume', () => {
  const dir = childScriptDir('knn-monitor-kill-', CHILD);

  it('every score and running best, and the kept best checkpoint, equal an uninterrupted run', async () => {
    const { x, y } = loadDigits();
    const data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
    const held = new DigitsDataset(tf.tensor2d(x.slice(1024)), y.slice(1024));
    const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const monitor = new KnnMonitor<Batch>(held, MONITOR);
    const reference = new Map<number, [number, number]>();
    await new Trainer(method, OPTIONS, [
      monitor,
      {
        onStepEnd: (i) => {
          if (i.monitor) reference.set(i.step, [i.monitor.knn_accuracy!, i.monitor.best_knn_accuracy!]);
        },
      },
    ]).fit(data);
    method.dispose();
    data.x.dispose();
    held.x.dispose();
    const refBest = monitor.best!;

    const rng = new Rng(7);
    const ckdir = join(dir.path, 'checkpoints');
    const bestDir = join(dir.path, 'best');
    const reports: [number, number, number][] = [];
    const { finished, unfinished } = await runThroughKills({
      args: [dir.script, ckdir, bestDir, JSON.stringify(OPTIONS)],
      runs: 10,
      rng,
      killAt: (run, lastStep) => (run < 4 ? lastStep + 3 + rng.int(9) : Number.POSITIVE_INFINITY),
      onLine: (line) => {
        const [step, acc, best] = line.split(' ').map(Number);
        if (acc !== undefined) reports.push([step!, acc, best!]);
        return step;
      },
    });
    expect(finished).toBe(true);
    expect(unfinished.length).toBeGreaterThan(0);
    for (const end of unfinished) expect(end).toBe('SIGKILL');
    // Steps replayed after a kill report again; each report matches the reference at that step.
    expect([...new Set(reports.map((r) => r[0]))].sort((a, b) => a - b)).toEqual([...reference.keys()]);
    for (const [step, acc, best] of reports) expect([acc, best], `step ${step}`).toEqual(reference.get(step));

    const { checkpoint: ck } = await loadLatestGoodCheckpoint(bestDir, { validate: checkTrainerState });
    expect(ck?.step).toBe(refBest.step);
    expect((ck!.state as { evaluation: { monitor: { knn_accuracy: number } } }).evaluation.monitor.knn_accuracy).toBe(
      refBest.knnAccuracy,
    );
    tf.dispose([...ck!.tensors.values()]);
  });
});
