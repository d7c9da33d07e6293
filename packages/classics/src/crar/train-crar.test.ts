import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Trainer, type TrainerOptions } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Crar } from './crar.js';
import { GridWorld } from './grid-world.js';
import { trainCrar } from './train-crar.js';
import { TransitionDataset } from './transition-dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'crar-resume-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 32,
  optimizer: { name: 'adam', lr: 0.002 },
  quiet: true,
  diagnosticsEvery: 0,
};

function values(vars: Map<string, tf.Variable>): Map<string, number[]> {
  return new Map([...vars].map(([k, v]) => [k, Array.from(v.dataSync())]));
}

describe('trainCrar', () => {
  it('learns abstract states from which a linear probe recovers the position (reduced budget)', async () => {
    // Reduced budget (400 steps, 2000 transitions); the 1500-step results are in tools/bench/classics-results.ts.
    const r = await trainCrar({ steps: 400, seed: 0, transitions: 2000 });
    expect(r.r2Before).toBeLessThan(0.3);
    expect(r.r2After).toBeGreaterThan(r.r2Before + 0.25);
    expect(r.finalLosses.reward).toBeLessThan(0.05);
    expect(r.history).toHaveLength(400);
    expect(r.svg.match(/<circle /g)?.length).toBe(new GridWorld().freeCells().length);
  }, 120_000);

  it('keeps the tensor count flat across Trainer steps and logs the four terms', async () => {
    const world = new GridWorld();
    const data = new TransitionDataset(world.explore(96, 3), world.obsSize);
    const model = new Crar(world.obsSize, { seed: 2 });
    const counts: number[] = [];
    const metrics: string[][] = [];
    await new Trainer(model, { ...OPTIONS, steps: 5 }, [
      {
        onStepEnd: (i) => {
          counts.push(tf.memory().numTensors);
          metrics.push(Object.keys(i.metrics ?? {}).sort());
        },
      },
    ]).fit(data);
    expect(counts[counts.length - 1]).toBe(counts[0]); // optimizer slots appear in the first step
    expect(metrics[0]).toEqual(['consistency', 'dispersion', 'reward', 'transition']);
    model.dispose();
  });

  it('resumes bit-exactly (data order and dispersion pairs too): 4 + 4 steps equal 8', async () => {
    const world = new GridWorld();
    const data = new TransitionDataset(world.explore(200, 5), world.obsSize);
    const ref = new Crar(world.obsSize, { seed: 4 });
    const full = await new Trainer(ref, { ...OPTIONS, steps: 8 }).fit(data);
    const expected = values(ref.stateVariables());
    ref.dispose();
    const ckdir = join(dir, 'crar');
    const first = new Crar(world.obsSize, { seed: 4 });
    await new Trainer(first, { ...OPTIONS, steps: 4, checkpointDir: ckdir }).fit(data);
    first.dispose();
    const second = new Crar(world.obsSize, { seed: 4 });
    const resumed = await new Trainer(second, { ...OPTIONS, steps: 8, checkpointDir: ckdir }).fit(data);
    expect(resumed.resumedFromStep).toBe(4);
    expect(resumed.lossHistory).toEqual(full.lossHistory);
    expect(values(second.stateVariables())).toEqual(expected);
    second.dispose();
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
