import { initBackend, Rng, Trainer } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectMethodContract } from '../../../core/src/test-support/method-contract.js';
import { lossEnds } from '../../../core/src/test-support/recorded-fit.js';
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
    const { first, last } = lossEnds(h, 5);
    expect(last, h.map((x) => x.toFixed(3)).join(' ')).toBeLessThan(first - 0.03);
    method.dispose();
  });

  it('keeps the tensor count flat across training steps and its state names stable', async () => {
    const method = methods.get(name).create({ sampleShape: [256, 4], options: small, rng: new Rng(1) });
    await expectMethodContract(method, methods.get(name), windows, { batchSize: 16, steps: 6, seed: 1, quiet: true });
    method.dispose();
  });
});
