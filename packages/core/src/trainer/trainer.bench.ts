/**
 * Endurance and throughput of the trainer on the digits classifier (cpu backend):
 * `node --expose-gc --import tsx packages/core/src/trainer/trainer.bench.ts [steps=3000] [batchSize=64]`
 * Prints one JSON line: steps/s and samples/s (median over 100-step windows), tensor counts
 * after warm-up and at the end (must be equal), RSS at the start, every 1,000 steps and at the
 * end (MiB), the time
 * of a checkpoint save and load, and the time of both probes on the digits split.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import { knnProbe } from '../eval/knn-probe.js';
import { linearProbe } from '../eval/linear-probe.js';
import { Trainer } from './trainer.js';

const steps = Number(process.argv[2] ?? 3000);
const batchSize = Number(process.argv[3] ?? 64);
if (!haveDigits) {
  console.error('digits data missing: run npx autodidact data fetch');
  process.exit(1);
}
await tf.setBackend('cpu');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? Number.NaN;
const gc = (globalThis as { gc?: () => void }).gc;
const mib = () => Math.round(process.memoryUsage().rss / 2 ** 20);
/** Live JS heap after a full GC when run with --expose-gc, else heap used. */
const heapMiB = () => {
  gc?.();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
};

const { x, y } = loadDigits();
const data = new DigitsDataset(tf.tensor2d(x), y);
const method = new DigitsClassifier({ hidden: 32, seed: 1, noise: 0.1 });
const dir = await mkdtemp(join(tmpdir(), 'autodidact-bench-'));
const windows: number[] = [];
const rssEvery1000: number[] = [];
const heapEvery1000: number[] = [];
let windowStart = performance.now();
let tensorsAfterWarmup = 0;
const rssStart = mib();
const trainer = new Trainer(
  method,
  {
    batchSize,
    steps,
    optimizer: { name: 'adam', lr: 0.01 },
    schedule: { kind: 'cosine', warmupSteps: 50 },
    clipGradNorm: 5,
    quiet: true,
    diagnosticsEvery: 200,
    checkpointDir: dir,
    checkpointEvery: 1000,
    resume: false,
  },
  [
    {
      onStepEnd: (i) => {
        if (i.step === 10) tensorsAfterWarmup = tf.memory().numTensors;
        if (i.step % 1000 === 0) {
          rssEvery1000.push(mib());
          heapEvery1000.push(heapMiB());
        }
        if (i.step % 100 === 0) {
          const now = performance.now();
          windows.push((100 * 1000) / (now - windowStart));
          windowStart = now;
        }
      },
    },
  ],
);
const result = await trainer.fit(data);
const tensorsEnd = tf.memory().numTensors;
const t0 = performance.now();
const ck = await loadCheckpoint(dir);
const loadMs = performance.now() - t0;
tf.dispose([...ck.tensors.values()]);

const idx = Array.from({ length: x.length }, (_, i) => i);
const trainX = tf.tensor2d(idx.slice(0, 1297).map((i) => x[i]!));
const testX = tf.tensor2d(idx.slice(1297).map((i) => x[i]!));
const trainY = y.slice(0, 1297);
const testY = y.slice(1297);
const t1 = performance.now();
const lin = await linearProbe({ trainX, trainY, testX, testY });
const t2 = performance.now();
const knn = knnProbe({ trainX, trainY, testX, testY });
const t3 = performance.now();
console.log(
  JSON.stringify({
    backend: tf.getBackend(),
    steps: result.steps,
    batchSize,
    seconds: Number(result.seconds.toFixed(2)),
    stepsPerSec: Number(median(windows).toFixed(1)),
    samplesPerSec: Math.round(median(windows) * batchSize),
    finalLoss: Number(result.finalLoss.toFixed(4)),
    tensorsAfterWarmup,
    tensorsEnd,
    rssStartMiB: rssStart,
    rssEndMiB: mib(),
    rssEvery1000,
    heapEvery1000,
    checkpointLoadMs: Math.round(loadMs),
    linearProbeMs: Math.round(t2 - t1),
    linearProbeAccuracy: lin.accuracy,
    knnProbeMs: Math.round(t3 - t2),
    knnAccuracy: knn.accuracy,
  }),
);
tf.dispose([trainX, testX, data.x]);
method.dispose();
await rm(dir, { recursive: true, force: true });
