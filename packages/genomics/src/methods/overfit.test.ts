import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowDataset } from '../encode/window-dataset.js';
import { loadLabeledWindows } from '../io/load-windows.js';
import { dataPath } from '../test-support/data.js';
import { methods } from './registry.js';

// The contrastive pretext tasks must be solvable where the answer is learnable: on one fixed
// batch of 16 real windows, repeated, the model can memorise which halves belong together, so
// pretext accuracy must climb far above chance within a few dozen steps. On fresh batches the
// same tasks stay near a few percent for thousands of steps (disjoint halves of a window share
// little more than base composition), so a pretext task that cannot even be overfitted here is
// a defect, not slow learning.
const STEPS = 80;
const bacteria = dataPath('bacteria', 'train');
let windows: WindowDataset;
beforeAll(async () => {
  await initBackend({ quiet: true });
  if (bacteria.present) windows = await loadLabeledWindows(bacteria.path, { length: 256, limit: 16 });
});

describe.skipIf(!bacteria.present).each([
  // [method, chance accuracy (1 / candidates), options]: CPC's random reverse complement is off
  // so that the batch really is the same at every step.
  ['self-genomenet', 1 / 31, {}],
  ['cpc', 1 / 16, { rcProbability: 0 }],
] as const)('%s', (name, chance, extra) => {
  it('overfits one fixed batch: the loss starts near log(candidates) and pretext accuracy climbs', () => {
    const method = methods.get(name).create({
      sampleShape: [256, 4],
      options: { width: 16, hidden: 16, ...extra },
      rng: new Rng(0),
    });
    const x = windows.getBatch(Array.from({ length: 16 }, (_, i) => i));
    const vars = [...method.trainableVariables().values()];
    const opt = tf.train.adam(1e-2);
    const rng = new Rng(1);
    const trace: string[] = [];
    let first = Number.NaN;
    let accuracy = 0;
    for (let step = 0; step < STEPS; step++) {
      const loss = opt.minimize(
        () => {
          const out = method.computeLoss(x, { step, totalSteps: STEPS, epoch: 0, rng });
          accuracy = out.metrics!.accuracy!.dataSync()[0]!;
          return out.loss;
        },
        true,
        vars,
      )!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      if (step === 0) first = value;
      trace.push(`${value.toFixed(2)}/${accuracy.toFixed(2)}`);
    }
    // At init the scores are small, so the loss is close to log(candidates).
    expect(Math.abs(first - Math.log(1 / chance)), trace.join(' ')).toBeLessThan(0.25);
    // Chance is 3% (Self-GenomeNet) and 6% (CPC); on fresh batches neither passes 10%.
    expect(accuracy, trace.join(' ')).toBeGreaterThan(0.4);
    tf.dispose(x);
    opt.dispose();
    method.dispose();
  });
});
