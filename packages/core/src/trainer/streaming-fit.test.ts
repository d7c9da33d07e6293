import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
  openDigitsStream,
  writeDigitsRecords,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { env } from '../env.js';
import { fineTune } from '../eval/fine-tune.js';
import type { TrainerOptions } from './options.js';
import { Trainer } from './trainer.js';

// The Trainer and fineTune on a streaming source (data workers reading float32 records from
// disk, batches prepared ahead) must give exactly what they give on the same data in memory.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 64,
  steps: 30, // 8 steps per epoch: crosses three epoch ends
  optimizer: { name: 'adam', lr: 0.01 },
  schedule: { kind: 'cosine', warmupSteps: 3 },
  clipGradNorm: 5,
  quiet: true,
  diagnosticsEvery: 7,
};

describe.skipIf(!haveDigits)('training on a streaming source', () => {
  let dir: string;
  const saved = env.cacheDir;
  let x: number[][];
  let y: Int32Array;
  beforeAll(async () => {
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir = await mkdtemp(join(repo, 'tmp', 'streaming-fit-'));
    env.cacheDir = join(dir, 'cache');
    ({ x, y } = loadDigits());
    await writeDigitsRecords(join(dir, 'train'), x.slice(0, 512));
    await writeDigitsRecords(join(dir, 'test'), x.slice(512, 812), 3);
  });
  afterAll(async () => {
    env.cacheDir = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('the Trainer ends with the same losses and weights, bit for bit, and no tensor left behind', async () => {
    const memory = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
    const a = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const ra = await new Trainer(a, OPTIONS).fit(memory);

    const stream = await openDigitsStream(join(dir, 'train'), y.slice(0, 512), { workers: 2, prefetch: 3 });
    const b = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const trainer = new Trainer(b, OPTIONS);
    const before = tf.memory().numTensors;
    const rb = await trainer.fit(stream);
    trainer.optimizer?.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(rb.lossHistory).toEqual(ra.lossHistory);
    for (const [k, v] of a.stateVariables()) {
      expect(Array.from(b.stateVariables().get(k)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    }
    expect(stream.skipped).toEqual([]);
    await stream.close();
    a.dispose();
    b.dispose();
    memory.x.dispose();
  });

  it('fineTune streams its training and evaluation passes with the in-memory results', async () => {
    const run = async (streaming: boolean) => {
      const model = new DigitsClassifier({ hidden: 16, seed: 3, noise: 0 });
      const train = streaming
        ? await openDigitsStream(join(dir, 'train'), y.slice(0, 512), { workers: 1, prefetch: 2 })
        : new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
      const test = streaming
        ? await openDigitsStream(join(dir, 'test'), y.slice(512, 812), { workers: 1 })
        : new DigitsDataset(tf.tensor2d(x.slice(512, 812)), y.slice(512, 812));
      const before = tf.memory().numTensors;
      const r = await fineTune({
        encoder: model.encoder,
        train,
        test,
        steps: 12,
        batchSize: 32,
        lr: 1e-2,
        labelFraction: 0.5,
        evalBatchSize: 50,
        progress: { quiet: true },
      });
      expect(tf.memory().numTensors).toBe(before);
      if ('close' in train) await train.close();
      else train.x.dispose();
      if ('close' in test) await test.close();
      else test.x.dispose();
      model.dispose();
      return r;
    };
    const memory = await run(false);
    const streamed = await run(true);
    expect(streamed.lossHistory).toEqual(memory.lossHistory);
    expect(Array.from(streamed.testLogits)).toEqual(Array.from(memory.testLogits));
    expect(streamed.accuracy).toBe(memory.accuracy);
    expect(streamed.trainAccuracy).toBe(memory.trainAccuracy);
    expect(streamed.accuracy).toBeGreaterThan(0.3); // it learned something (chance: 0.1)
  });
});
