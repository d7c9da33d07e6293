import { initBackend, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowDataset } from '../encode/window-dataset.js';
import { loadLabeledWindows } from '../io/load-windows.js';
import { dataPath } from '../test-support/data.js';
import { methods } from './registry.js';

// Small and fast: a narrow encoder on 256-base windows of the twelve training genomes of the
// bacteria set (4 species), evenly subsampled.
const small = { width: 16, hidden: 16 };
const bacteria = dataPath('bacteria', 'train');
let windows: WindowDataset;
beforeAll(async () => {
  await initBackend({ quiet: true });
  if (bacteria.present) windows = await loadLabeledWindows(bacteria.path, { length: 256, limit: 3000 });
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!bacteria.present).each(['self-genomenet', 'cpc', 'mlm'])('%s', (name) => {
  it('learns on real bacterial genomes: the loss falls', async () => {
    const method = methods.get(name).create({ sampleShape: [256, 4], options: small, rng: new Rng(0) });
    const result = await new Trainer(method, {
      batchSize: 32,
      steps: 30,
      seed: 0,
      quiet: true,
      optimizer: { name: 'adam', lr: 1e-2 },
    }).fit(windows);
    const h = result.lossHistory;
    // The last five steps' mean loss is clearly below the first five's (contrastive losses start
    // at log(candidates) and leave it slowly; 0.03 nats is several times the step-to-step noise).
    expect(mean(h.slice(-5)), h.map((x) => x.toFixed(3)).join(' ')).toBeLessThan(mean(h.slice(0, 5)) - 0.03);
    method.dispose();
  });

  it('keeps the tensor count flat across training steps and its state names stable', async () => {
    const method = methods.get(name).create({ sampleShape: [256, 4], options: small, rng: new Rng(1) });
    const counts: number[] = [];
    const onStepEnd = () => {
      counts.push(tf.memory().numTensors);
    };
    await new Trainer(method, { batchSize: 16, steps: 6, seed: 1, quiet: true }, [{ onStepEnd }]).fit(windows);
    expect(new Set(counts.slice(1)).size, counts.join(',')).toBe(1);
    // The registry (checked by the CLI before loading data) and the method (checked by the Trainer) agree.
    expect(method.minBatchSize).toEqual(methods.get(name).minBatchSize);
    const state = [...method.stateVariables().keys()];
    expect(new Set(state).size).toBe(state.length);
    for (const k of method.encoder.allVariables().keys()) expect(state).toContain(k);
    const emb = method.embed(windows.getBatch([0, 1, 2]));
    expect(emb.shape).toEqual([3, method.encoder.config.outputDim]);
    emb.dispose();
    method.dispose();
  });
});
