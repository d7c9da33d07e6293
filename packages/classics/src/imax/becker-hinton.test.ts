import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Trainer, type TrainerOptions } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StereogramDataset } from '../stereograms/stereogram-dataset.js';
import { BeckerHinton, pearson, trainBeckerHinton } from './becker-hinton.js';

const dir = mkdtempSync(join(tmpdir(), 'imax-resume-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 32,
  optimizer: { name: 'adam', lr: 0.03 },
  quiet: true,
  diagnosticsEvery: 0,
};

function values(vars: Map<string, tf.Variable>): Map<string, number[]> {
  return new Map([...vars].map(([k, v]) => [k, Array.from(v.dataSync())]));
}

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
    const counts: number[] = [];
    await new Trainer(model, { ...OPTIONS, steps: 6 }, [
      { onStepEnd: () => void counts.push(tf.memory().numTensors) },
    ]).fit(data);
    expect(counts[counts.length - 1]).toBe(counts[0]); // the optimizer creates its slots in the first step
    model.dispose();
  });

  it('resumes bit-exactly: 4 steps, a checkpoint, 4 more equal 8 uninterrupted', async () => {
    const data = new StereogramDataset(128, 7);
    const ref = new BeckerHinton(data.inputSize, { seed: 2 });
    const full = await new Trainer(ref, { ...OPTIONS, steps: 8 }).fit(data);
    const expected = values(ref.stateVariables());
    ref.dispose();
    const ckdir = join(dir, 'imax');
    const first = new BeckerHinton(data.inputSize, { seed: 2 });
    await new Trainer(first, { ...OPTIONS, steps: 4, checkpointDir: ckdir }).fit(data);
    first.dispose();
    const second = new BeckerHinton(data.inputSize, { seed: 2 });
    const resumed = await new Trainer(second, { ...OPTIONS, steps: 8, checkpointDir: ckdir }).fit(data);
    expect(resumed.resumedFromStep).toBe(4);
    expect(resumed.lossHistory).toEqual(full.lossHistory);
    expect(values(second.stateVariables())).toEqual(expected);
    second.dispose();
  });

  it('generates the same stereograms for the same indices, others for another seed', () => {
    const [x, y, z] = [new StereogramDataset(10, 1), new StereogramDataset(10, 1), new StereogramDataset(10, 2)];
    const [bx, by, bz] = [x.getBatch([3, 4]), y.getBatch([3, 4]), z.getBatch([3, 4])];
    expect(bx.a.dataSync()).toEqual(by.a.dataSync());
    expect(bx.a.dataSync()).not.toEqual(bz.a.dataSync());
    tf.dispose([bx.a, bx.b, by.a, by.b, bz.a, bz.b]);
  });

  it('computes Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 10);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
