import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TensorDataset } from '../data/dataset.js';
import { env } from '../env.js';
import { embedDataset } from './embed-dataset.js';
import { knnProbe } from './knn-probe.js';
import { linearProbe } from './linear-probe.js';

// The sklearn digits set (64 pixel values 0-16, then the label), fetched by tools/fetch-data.mjs.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const digitsPath = join(env.dataDir ?? join(repo, 'data'), 'digits', 'digits.csv.gz');
const haveDigits = existsSync(digitsPath);
if (!haveDigits)
  console.warn(`skipping probe tests on digits: ${digitsPath} is missing (run node tools/fetch-data.mjs)`);

// Split and reference results from tools/fixtures/optim/make_fixtures.py (float64 L-BFGS, torch kNN).
const fixture = JSON.parse(readFileSync(join(repo, 'tools/fixtures/optim/probes.json'), 'utf8')) as {
  trainIndices: number[];
  testIndices: number[];
  linear: { weightDecay: number; accuracy: number; trainAccuracy: number };
  knn: { k: number; temperature: number; predictions: number[]; accuracy: number };
};

function loadDigits(): { x: number[][]; y: number[] } {
  const rows = gunzipSync(readFileSync(digitsPath))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map(Number));
  return { x: rows.map((r) => r.slice(0, 64)), y: rows.map((r) => r[64]!) };
}

describe.skipIf(!haveDigits)('probes on the digits set (1,297 / 500 seeded split)', () => {
  const { x, y } = haveDigits ? loadDigits() : { x: [], y: [] };
  const take = (idx: number[]) => ({ x: idx.map((i) => x[i]!), y: Int32Array.from(idx, (i) => y[i]!) });
  const train = take(fixture.trainIndices);
  const test = take(fixture.testIndices);

  it('has the expected split', () => {
    expect(x.length).toBe(1797);
    expect(train.y.length).toBe(1297);
    expect(test.y.length).toBe(500);
  });

  it('linear probe: > 0.93, within 0.02 of the torch L-BFGS reference; no tensors left', async () => {
    const trainX = tf.tensor2d(train.x);
    const testX = tf.tensor2d(test.x);
    const before = tf.memory().numTensors;
    const r = await linearProbe({
      trainX,
      trainY: train.y,
      testX,
      testY: test.y,
      weightDecay: fixture.linear.weightDecay,
    });
    expect(tf.memory().numTensors).toBe(before);
    console.log(
      `linear probe: test ${r.accuracy.toFixed(4)} train ${r.trainAccuracy.toFixed(4)} ` +
        `(torch L-BFGS: ${fixture.linear.accuracy.toFixed(4)} / ${fixture.linear.trainAccuracy.toFixed(4)})`,
    );
    expect(r.nTrain).toBe(1297);
    expect(r.nTest).toBe(500);
    expect(r.numClasses).toBe(10);
    expect(r.accuracy).toBeGreaterThan(0.93);
    expect(Math.abs(r.accuracy - fixture.linear.accuracy)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(r.trainAccuracy - fixture.linear.trainAccuracy)).toBeLessThanOrEqual(0.02);
    tf.dispose([trainX, testX]);
  });

  it('kNN probe: > 0.95 and the same predictions as the torch reference', () => {
    const trainX = tf.tensor2d(train.x);
    const testX = tf.tensor2d(test.x);
    const before = tf.memory().numTensors;
    const r = knnProbe({
      trainX,
      trainY: train.y,
      testX,
      testY: test.y,
      k: fixture.knn.k,
      temperature: fixture.knn.temperature,
      chunkSize: 128,
    });
    expect(tf.memory().numTensors).toBe(before);
    console.log(
      `kNN probe: test ${r.accuracy.toFixed(4)} (torch: ${fixture.knn.accuracy.toFixed(4)}), leave-one-out train ${r.trainAccuracy.toFixed(4)}`,
    );
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect([...r.predictions]).toEqual(fixture.knn.predictions);
    expect(r.trainAccuracy).toBeGreaterThan(0.95);
    tf.dispose([trainX, testX]);
  });

  it('embedDataset: batched embeddings equal the one-shot result', () => {
    const data = new TensorDataset(tf.tensor2d(test.x), test.y);
    const w = tf.randomNormal([64, 8], 0, 1, 'float32', 1);
    const embed = (b: tf.Tensor): tf.Tensor2D => tf.matMul(b as tf.Tensor2D, w);
    const before = tf.memory().numTensors;
    const z = embedDataset(embed, data, 64);
    expect(tf.memory().numTensors).toBe(before + 1);
    const whole = embed(data.inputs);
    expect(z.shape).toEqual([500, 8]);
    expect(tf.max(tf.abs(tf.sub(z, whole))).arraySync()).toBeLessThan(1e-4);
    tf.dispose([z, whole, w]);
    data.dispose();
  });
});
