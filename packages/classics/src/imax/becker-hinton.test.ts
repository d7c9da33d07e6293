import { initBackend } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { StereogramDataset } from '../stereograms/stereogram-dataset.js';
import { BeckerHinton, heldOutStereograms, pearson, trainBeckerHinton } from './becker-hinton.js';

beforeAll(async () => {
  await initBackend();
});

/** Batches of 32, Adam at 0.03. */
const run = (steps: number) => quietAdamRun(steps, 32, 0.03);

describe('Becker-Hinton IMAX', () => {
  it('learns the disparity no label told it: |corr| < 0.3 at init, > 0.75 after 600 steps', async () => {
    // 0.75 leaves room for other BLAS summation orders (measured values: tools/bench/classics-results.ts).
    const r = await trainBeckerHinton({ steps: 600, seed: 0, testSize: 1000 });
    expect(r.correlationBefore).toBeLessThan(0.3);
    expect(r.correlationAfter).toBeGreaterThan(0.75);
    expect(r.correlationAfterB).toBeGreaterThan(0.7);
    expect(r.information).toBeGreaterThan(0.5);
    expect(r.history).toHaveLength(600);
  }, 60_000);

  it('keeps the tensor count flat across Trainer steps', async () => {
    const data = new StereogramDataset(256, 5);
    const model = new BeckerHinton(data.inputSize, { seed: 1 });
    const { tensorCounts } = await recordedFit(model, data, run(6));
    expectFlatTensorCount(tensorCounts, 0); // the optimizer creates its slots in the first step
    model.dispose();
  });

  it('resumes bit-exactly: 4 steps, a checkpoint, 4 more equal 8 uninterrupted', async () => {
    const data = new StereogramDataset(128, 7);
    await expectExactResume({
      build: () => new BeckerHinton(data.inputSize, { seed: 2 }),
      data,
      options: run(8),
      stopAt: 4,
      interrupt: 'end',
    });
  });

  it('generates the same stereograms for the same indices, others for another seed', () => {
    const [x, y, z] = [new StereogramDataset(10, 1), new StereogramDataset(10, 1), new StereogramDataset(10, 2)];
    const [bx, by, bz] = [x.getBatch([3, 4]), y.getBatch([3, 4]), z.getBatch([3, 4])];
    expect(bx.a.dataSync()).toEqual(by.a.dataSync());
    expect(bx.a.dataSync()).not.toEqual(bz.a.dataSync());
    tf.dispose([bx.a, bx.b, by.a, by.b, bz.a, bz.b]);
  });

  it('measures on the validation stream when asked, other stereograms than the test stream', async () => {
    const test = heldOutStereograms('test', 50, 3);
    const validation = heldOutStereograms('validation', 50, 3);
    expect(validation.count).toBe(50);
    expect(validation.a).not.toEqual(test.a);
    expect(heldOutStereograms('validation', 50, 3).a).toEqual(validation.a);
    const [v, t] = [
      await trainBeckerHinton({ steps: 3, seed: 3, testSize: 200, evaluate: 'validation' }),
      await trainBeckerHinton({ steps: 3, seed: 3, testSize: 200 }),
    ];
    expect(v.history).toEqual(t.history); // same training, another held-out set
    expect(v.correlationBefore).not.toBe(t.correlationBefore);
  }, 30_000);

  it('computes Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 10);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
