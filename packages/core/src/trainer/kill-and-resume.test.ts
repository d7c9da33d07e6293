import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
  writeDigitsRecords,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import { Rng } from '../random/rng.js';
import { childImports, childScriptDir, runThroughKills } from '../test-support/kill-runs.js';
import type { TrainerOptions } from './options.js';
import { Trainer } from './trainer.js';

// A training run in a child process is SIGKILLed at random steps (sometimes inside a
// checkpoint write) and restarted until it finishes; its final weights, EMA target and loss
// history must equal those of an uninterrupted in-process run. Once with a checkpoint every 3
// steps, once with checkpoints by wall time only (as the default's "every 2 minutes", shrunk),
// which land on whatever step the clock says: a run killed long before a step-count
// checkpoint (500 by default) still resumes, exactly. And once on a streaming source, where a
// kill also lands while data workers read batches ahead.
const from = childImports(import.meta.url);
const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 64,
  steps: 60,
  optimizer: { name: 'adam', lr: 0.01 },
  schedule: { kind: 'cosine', warmupSteps: 3 },
  clipGradNorm: 5,
  quiet: true,
  checkpointEvery: 3,
  diagnosticsEvery: 0,
};
// argv: checkpoint dir, options JSON, pause (ms) after each step, records folder ('' = in memory).
const CHILD = `
import * as tf from '@tensorflow/tfjs';
import { Trainer } from ${from('./trainer.ts')};
import { DigitsClassifier, DigitsDataset, loadDigits, openDigitsStream } from ${from('../../../../tools/fixtures/optim/digits-classifier.ts')};
const { x, y } = loadDigits();
const records = process.argv[5];
const data = records
  ? await openDigitsStream(records, y.slice(0, 512), { workers: 2, prefetch: 3 })
  : new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
const options = { ...JSON.parse(process.argv[3]), checkpointDir: process.argv[2] };
const pause = Number(process.argv[4]);
const trainer = new Trainer(method, options, [
  { onTrainStart: (i) => { process.stdout.write('start ' + (i.resumedFromStep ?? 0) + '\\n'); } },
  {
    onStepEnd: async (i) => {
      process.stdout.write(i.step + '\\n');
      // A slower step (outside the computation) so that wall-clock checkpoints fall between kills.
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    },
  },
]);
await trainer.fit(data);
if (records) await data.close();
process.stdout.write('done\\n');
`;

describe.skipIf(!haveDigits)('kill -9 and resume', () => {
  const dir = childScriptDir('kill-and-resume-', CHILD);

  /**
   * Runs OPTIONS (with `over`) to the end through kills, in memory or from `records`; checks the
   * end state against the uninterrupted in-memory run; returns the steps the child runs resumed from.
   */
  async function killAndResume(
    name: string,
    over: Partial<TrainerOptions>,
    pauseMs: number,
    records = '',
  ): Promise<number[]> {
    const options = { ...OPTIONS, ...over };
    const { x, y } = loadDigits();
    const data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
    const reference = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const trainer = new Trainer(reference, options);
    const ref = await trainer.fit(data);
    trainer.optimizer?.dispose();

    const rng = new Rng(2024);
    const ckdir = join(dir.path, name);
    const resumedFrom: number[] = [];
    const { finished, unfinished } = await runThroughKills({
      args: [dir.script, ckdir, JSON.stringify(options), String(pauseMs), records],
      env: { ...process.env, AUTODIDACT_CACHE_DIR: join(dirname(ckdir), 'cache') },
      runs: 12,
      rng,
      // Kill after a random number of further steps (the last runs are let finish).
      killAt: (run, lastStep) => (run < 4 ? lastStep + 5 + rng.int(12) : Number.POSITIVE_INFINITY),
      onLine: (line) => {
        if (!line.startsWith('start ')) return Number(line);
        resumedFrom.push(Number(line.slice(6)));
        return undefined;
      },
    });
    for (const end of unfinished) expect(end).toBe('SIGKILL');
    expect(finished).toBe(true);

    const ck = await loadCheckpoint(ckdir);
    expect(ck.step).toBe(60);
    expect(ck.state.lossHistory).toEqual(ref.lossHistory);
    for (const [k, v] of reference.stateVariables()) {
      expect(Array.from(ck.tensors.get(`method/${k}`)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    }
    tf.dispose([...ck.tensors.values()]);
    reference.dispose();
    data.x.dispose();
    return resumedFrom;
  }

  it('an interrupted-and-resumed run ends with the same weights as an uninterrupted one', async () => {
    const resumed = await killAndResume('by-steps', { checkpointEvery: 3, checkpointEverySeconds: 0 }, 0);
    expect(resumed.some((s) => s > 0)).toBe(true);
  });

  it('checkpoints by wall time alone (no step-count checkpoint in the run) resume exactly too', async () => {
    // 60 steps of >= 25 ms, a checkpoint whenever 0.1 s have passed: a few steps apart, on no fixed step.
    const resumed = await killAndResume('by-time', { checkpointEvery: 0, checkpointEverySeconds: 0.1 }, 25);
    const from = resumed.filter((s) => s > 0);
    expect(from.length).toBeGreaterThanOrEqual(2);
  });

  it('on a streaming source (data workers reading ahead) too, bit for bit', async () => {
    const { x } = loadDigits();
    const records = join(dir.path, 'records');
    await writeDigitsRecords(records, x.slice(0, 512));
    const resumed = await killAndResume('stream', { checkpointEvery: 3, checkpointEverySeconds: 0 }, 0, records);
    expect(resumed.some((s) => s > 0)).toBe(true);
  });
});
