import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env, initBackend } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runClipExperiment } from './experiments.js';

const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data');
const haveFashion = existsSync(join(dataDir, 'fashion-mnist'));
if (!haveFashion) {
  console.warn(
    `skipping CLIP learning tests: data/fashion-mnist missing in ${dataDir} (node tools/fetch-data.mjs fashion-mnist)`,
  );
}

// The image <-> spoken-digit pairing needs minutes on 2 cores (audio loading and a second conv
// tower); its learning check is tools/bench/multimodal-results.ts, which exits 1 on failure.

/** Zero-shot accuracy on held-out data must beat chance (10%) by this much after the short run. */
const MARGIN = 0.3;

describe('CLIP learns on a reduced budget (held-out data)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it.skipIf(!haveFashion)(
    'Fashion-MNIST image <-> description: zero-shot accuracy beats chance by 30 points',
    async () => {
      const before = tf.memory().numTensors;
      const r = await runClipExperiment('fashion-text', {
        dataDir,
        steps: 120,
        batchSize: 32,
        width: 8,
        trainImages: 2000,
        testImages: 300,
        retrievalPairs: 100,
        learningRate: 3e-3,
      });
      expect(r.trained.zeroShotA).toBeGreaterThan(r.chance + MARGIN);
      expect(r.trained.zeroShotA).toBeGreaterThan(r.random.zeroShotA);
      expect(tf.memory().numTensors).toBe(before);
    },
    120_000,
  );
});
