import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Crar } from './crar.js';
import { GridWorld } from './grid-world.js';
import { trainCrar } from './train-crar.js';

beforeAll(async () => {
  await initBackend();
});

describe('trainCrar', () => {
  it('learns abstract states from which a linear probe recovers the position (reduced budget)', () => {
    // Reduced budget (400 steps, 2000 transitions); the 1500-step results are in tools/bench/classics-results.ts.
    const r = trainCrar({ steps: 400, seed: 0, transitions: 2000 });
    expect(r.r2Before).toBeLessThan(0.3);
    expect(r.r2After).toBeGreaterThan(r.r2Before + 0.25);
    expect(r.finalLosses.reward).toBeLessThan(0.05);
    expect(r.svg.match(/<circle /g)?.length).toBe(new GridWorld().freeCells().length);
  }, 120_000);

  it('keeps the tensor count flat across steps', () => {
    const world = new GridWorld();
    const data = world.explore(64, 3);
    const model = new Crar(world.obsSize, { seed: 2 });
    const rng = new Rng(1);
    const idx = Array.from({ length: 32 }, (_, i) => i);
    model.trainStep(data, idx, rng); // optimizer slots appear on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) model.trainStep(data, idx, rng);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('gives zero consistency loss and full dispersion when every state collapses onto one point', () =>
    tf.tidy(() => {
      const model = new Crar(4, { seed: 0 });
      const x = tf.zeros([8, 4]) as tf.Tensor2D;
      const perm = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 0], 'int32');
      const l = model.losses(x, x, tf.zeros([8], 'int32') as tf.Tensor1D, tf.zeros([8]) as tf.Tensor1D, perm);
      expect(l.consistency.dataSync()[0]).toBe(0);
      expect(l.dispersion.dataSync()[0]).toBeCloseTo(1, 3);
      model.dispose();
    }));
});
