import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env, initBackend } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runClipExperiment } from './experiments.js';

const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data');
const haveDigits = existsSync(join(dataDir, 'mnist')) && existsSync(join(dataDir, 'spoken-digits', '.splits'));
const haveFashion = existsSync(join(dataDir, 'fashion-mnist'));
if (!haveDigits || !haveFashion) {
  console.warn(
    `skipping CLIP learning tests: data/mnist, data/fashion-mnist or data/spoken-digits missing in ${dataDir} (node tools/fetch-data.mjs mnist fashion-mnist spoken-digits)`,
  );
}

/** Zero-shot accuracy on held-out data must beat chance (10%) by this much after the short run. */
const MARGIN = 0.15;

describe('CLIP learns on a reduced budget (held-out data)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it.skipIf(!haveDigits)(
    'MNIST image <-> spoken digit: zero-shot accuracy beats chance by 15 points',
    async () => {
      const before = tf.memory().numTensors;
      const r = await runClipExperiment('digits-audio', {
        dataDir,
        steps: 40,
        batchSize: 32,
        width: 8,
        trainImages: 2000,
        testImages: 300,
        retrievalPairs: 100,
        clip: { learningRate: 3e-3 },
      });
      expect(r.trained.zeroShotA).toBeGreaterThan(r.chance + MARGIN);
      expect(r.trained.zeroShotA).toBeGreaterThan(r.random.zeroShotA);
      expect(tf.memory().numTensors).toBe(before);
    },
    120_000,
  );

  it.skipIf(!haveFashion)(
    'Fashion-MNIST image <-> description: zero-shot accuracy beats chance by 15 points',
    async () => {
      const r = await runClipExperiment('fashion-text', {
        dataDir,
        steps: 40,
        batchSize: 32,
        width: 8,
        trainImages: 2000,
        testImages: 300,
        retrievalPairs: 100,
        clip: { learningRate: 3e-3 },
      });
      expect(r.trained.zeroShotA).toBeGreaterThan(r.chance + MARGIN);
      expect(r.trained.zeroShotA).toBeGreaterThan(r.random.zeroShotA);
    },
    120_000,
  );
});
