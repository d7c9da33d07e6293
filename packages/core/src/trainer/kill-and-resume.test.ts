import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
  writeDigitsRecords,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import { Rng } from '../random/rng.js';
import type { TrainResult } from './callbacks.js';
import type { TrainerOptions } from './options.js';
import { Trainer } from './trainer.js';

// A training run in a child process is SIGKILLed at random steps (sometimes inside a
// checkpoint write: one every 3 steps) and restarted until it finishes; its final weights,
// EMA target and loss history must equal those of an uninterrupted in-process run.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const url = (rel: string) => pathToFileURL(fileURLToPath(new URL(rel, import.meta.url))).href;
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
const CHILD = `
import * as tf from '@tensorflow/tfjs';
import { Trainer } from ${JSON.stringify(url('./trainer.ts'))};
import { DigitsClassifier, DigitsDataset, loadDigits } from ${JSON.stringify(url('../../../../tools/fixtures/optim/digits-classifier.ts'))};
const { x, y } = loadDigits();
const data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
const options = { ...${JSON.stringify(OPTIONS)}, checkpointDir: process.argv[2] };
const trainer = new Trainer(method, options, [{ onStepEnd: (i) => { process.stdout.write(i.step + '\\n'); } }]);
await trainer.fit(data);
process.stdout.write('done\\n');
`;
// The same run on a streaming source: two data workers read float32 records from disk, three
// batches ahead, so a kill also lands while batches are being read and prefetched.
const STREAM_CHILD = `
import { Trainer } from ${JSON.stringify(url('./trainer.ts'))};
import { DigitsClassifier, loadDigits, openDigitsStream } from ${JSON.stringify(url('../../../../tools/fixtures/optim/digits-classifier.ts'))};
const { y } = loadDigits();
const data = await openDigitsStream(process.argv[3], y.slice(0, 512), { workers: 2, prefetch: 3 });
const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
const options = { ...${JSON.stringify(OPTIONS)}, checkpointDir: process.argv[2] };
const trainer = new Trainer(method, options, [{ onStepEnd: (i) => { process.stdout.write(i.step + '\\n'); } }]);
await trainer.fit(data);
await data.close();
process.stdout.write('done\\n');
`;

/**
 * Runs `child` (argv: checkpoint dir, then `args`) until it prints `done`, SIGKILLing the first
 * four runs after a random number of further steps; returns how many kills it took.
 */
async function killUntilDone(child: string, ckdir: string, args: string[], rng: Rng): Promise<number> {
  let kills = 0;
  let finished = false;
  let lastSeen = 0;
  for (let run = 0; run < 12 && !finished; run++) {
    // Kill after a random number of further steps (the last runs are let finish).
    const killAt = run < 4 ? lastSeen + 5 + rng.int(12) : Number.POSITIVE_INFINITY;
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, ckdir, ...args], {
      cwd: repo,
      env: { ...process.env, AUTODIDACT_CACHE_DIR: join(dirname(ckdir), 'cache') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().trim().split('\n')) {
        if (line === 'done') finished = true;
        else lastSeen = Math.max(lastSeen, Number(line));
      }
      if (lastSeen >= killAt && proc.exitCode === null && !proc.killed) {
        setTimeout(() => proc.kill('SIGKILL'), rng.int(5));
        kills++;
      }
    });
    const code = await exit;
    if (!finished) expect(proc.signalCode ?? code).toBe('SIGKILL');
  }
  expect(finished).toBe(true);
  return kills;
}

describe.skipIf(!haveDigits)('kill -9 and resume', () => {
  let dir: string;
  beforeAll(async () => {
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir = await mkdtemp(join(repo, 'tmp', 'kill-and-resume-'));
    await writeFile(join(dir, 'child.mts'), CHILD);
    await writeFile(join(dir, 'stream-child.mts'), STREAM_CHILD);
  });

  /** The uninterrupted in-process run, in memory: what every resumed run must end with. */
  let ref: { result: TrainResult; state: Map<string, number[]> } | undefined;
  const reference = async () => {
    if (ref) return ref;
    const { x, y } = loadDigits();
    const data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
    const model = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const trainer = new Trainer(model, OPTIONS);
    const result = await trainer.fit(data);
    trainer.optimizer?.dispose();
    const state = new Map([...model.stateVariables()].map(([k, v]) => [k, Array.from(v.dataSync())] as const));
    model.dispose();
    data.x.dispose();
    ref = { result, state };
    return ref;
  };

  const expectSameAsReference = async (ckdir: string) => {
    const { result, state } = await reference();
    const ck = await loadCheckpoint(ckdir);
    expect(ck.step).toBe(60);
    expect(ck.state.lossHistory).toEqual(result.lossHistory);
    for (const [k, v] of state) expect(Array.from(ck.tensors.get(`method/${k}`)!.dataSync()), k).toEqual(v);
    tf.dispose([...ck.tensors.values()]);
  };
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an interrupted-and-resumed run ends with the same weights as an uninterrupted one', async () => {
    const ckdir = join(dir, 'ck');
    const kills = await killUntilDone(join(dir, 'child.mts'), ckdir, [], new Rng(2024));
    expect(kills).toBeGreaterThanOrEqual(3);
    await expectSameAsReference(ckdir);
  });

  it('on a streaming source (data workers reading ahead) too, bit for bit', async () => {
    const { x } = loadDigits();
    const records = join(dir, 'records');
    await writeDigitsRecords(records, x.slice(0, 512));
    const ckdir = join(dir, 'ck-stream');
    const kills = await killUntilDone(join(dir, 'stream-child.mts'), ckdir, [records], new Rng(2025));
    expect(kills).toBeGreaterThanOrEqual(3);
    await expectSameAsReference(ckdir);
  });
});
