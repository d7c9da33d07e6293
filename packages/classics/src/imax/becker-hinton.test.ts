import { initBackend } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomDotStereograms } from '../stereograms/random-dot.js';
import { BeckerHinton, pearson, trainBeckerHinton } from './becker-hinton.js';

beforeAll(async () => {
  await initBackend();
});

describe('Becker-Hinton IMAX', () => {
  it('learns the disparity no label told it: |corr| < 0.3 at init, > 0.75 after 600 steps', () => {
    // Measured 0.84 / 0.82 (seeds 0 / 1, module A); 0.75 leaves room for other BLAS summation orders.
    const r = trainBeckerHinton({ steps: 600, seed: 0, testSize: 1000 });
    expect(r.correlationBefore).toBeLessThan(0.3);
    expect(r.correlationAfter).toBeGreaterThan(0.75);
    expect(r.correlationAfterB).toBeGreaterThan(0.7);
    expect(r.information).toBeGreaterThan(0.5);
  }, 60_000);

  it('keeps the tensor count flat across steps', () => {
    const data = randomDotStereograms(64, 5);
    const model = new BeckerHinton(data.inputSize, { seed: 1 });
    const a = tf.tensor2d(data.a, [data.count, data.inputSize]);
    const b = tf.tensor2d(data.b, [data.count, data.inputSize]);
    model.trainStep(a, b); // the optimizer creates its slots on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) model.trainStep(a, b);
    model.disparityCorrelation(data);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
    model.dispose();
  });

  it('computes Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 10);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
