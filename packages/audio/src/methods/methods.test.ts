import { initBackend, Rng, readBatch, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WavDataset } from '../io/wav-dataset.js';
import { modality } from '../modality.js';
import { SPOKEN_DIGITS_MISSING, spokenDigitClips, spokenDigitsDir } from '../test-support/fixtures.js';
import { methods } from './registry.js';

const dir = spokenDigitsDir();
if (!dir) console.warn(`skipping audio method tests: ${SPOKEN_DIGITS_MISSING}`);

describe.skipIf(!dir)('audio methods on spoken digits', () => {
  let data: WavDataset;
  beforeAll(async () => {
    await initBackend({ quiet: true });
    data = await spokenDigitClips(dir!, 64, 15);
  });

  for (const name of methods.names()) {
    it(`${name}: loss falls within a few steps, tensor count stays flat`, async () => {
      const spec = methods.get(name);
      const method = spec.create({
        sampleShape: [8000],
        options: {
          width: 32,
          contextDim: 32,
          cropSamples: 6400,
          ...(name === 'wav2vec2' || name === 'data2vec' ? {} : { steps: 4 }),
        },
        rng: new Rng(0),
      });
      const result = await new Trainer(method, {
        ...spec.trainerDefaults,
        schedule: { kind: 'constant' },
        optimizer: { name: 'adam', lr: 2e-3 },
        batchSize: 16,
        steps: 12,
        seed: 0,
        quiet: true,
        diagnosticsEvery: 0,
      }).fit(data);
      const h = result.lossHistory;
      const first = (h[0]! + h[1]! + h[2]!) / 3;
      const last = (h[h.length - 1]! + h[h.length - 2]! + h[h.length - 3]!) / 3;
      expect(last).toBeLessThan(first * 0.95);

      // Repeated forward/backward steps leave no tensors behind.
      const opt = tf.train.adam(1e-3);
      const vars = [...method.trainableVariables().values()];
      const batch = data.getBatch([0, 1, 2, 3]);
      const rng = new Rng(5);
      const step = (i: number) => {
        const cost = opt.minimize(
          () => method.computeLoss(batch, { step: i, totalSteps: 4, epoch: 0, rng }).loss,
          true,
          vars,
        );
        cost?.dispose();
      };
      step(0);
      const before = tf.memory().numTensors;
      for (let i = 1; i < 4; i++) step(i);
      expect(tf.memory().numTensors).toBe(before);
      const e = method.embed(batch);
      expect(e.shape).toEqual([4, method.encoder.config.outputDim]);
      tf.dispose([e, batch]);
      opt.dispose();
      method.dispose();
    });
  }

  it('the modality loads labelled and unlabelled folders and rebuilds encoders from their config', async () => {
    const labelled = await modality.loadLabeled(`${dir}/.splits/test`, { limit: 5 });
    expect(labelled.size).toBe(5);
    expect(labelled.sampleShape).toEqual([16000]);
    expect(labelled.classNames).toHaveLength(10);
    const spec = modality.methods.get('wav2vec');
    const m = spec.create({ sampleShape: [16000], options: { width: 16, contextDim: 16 }, rng: new Rng(0) });
    const config = JSON.parse(JSON.stringify(m.encoder.config));
    const rebuilt = modality.createEncoder(config, new Rng(1));
    expect([...rebuilt.allVariables().keys()].sort()).toEqual([...m.encoder.allVariables().keys()].sort());
    const b = await readBatch(labelled, [0, 1]);
    const e = rebuilt.apply(b, false);
    expect(e.shape).toEqual([2, 16]);
    tf.dispose([b, e]);
    rebuilt.dispose();
    m.dispose();
    labelled.dispose?.();
    const d = await modality.defaultData!();
    expect(d.test).toMatch(/\.splits\/test$/);
  });
});
