import { initBackend } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { Crar } from './crar.js';
import { DEFAULT_MAZE, GridWorld, VALIDATION_MAZE } from './grid-world.js';
import { probeHalf, trainCrar } from './train-crar.js';
import { TransitionDataset } from './transition-dataset.js';

beforeAll(async () => {
  await initBackend();
});

/** Batches of 32, Adam at 0.002. */
const run = (steps: number) => quietAdamRun(steps, 32, 0.002);

describe('trainCrar', () => {
  it('learns abstract states from which a linear probe recovers the position (reduced budget)', async () => {
    // Reduced budget (400 steps, 2000 transitions); the 1500-step results are in tools/bench/classics-results.ts.
    const r = await trainCrar({ steps: 400, seed: 0, transitions: 2000 });
    expect(r.r2Before).toBeLessThan(0.3);
    expect(r.r2After).toBeGreaterThan(r.r2Before + 0.25);
    expect(r.finalLosses.reward).toBeLessThan(0.05);
    expect(r.history).toHaveLength(400);
    expect(r.svg.match(/<circle /g)?.length).toBe(new GridWorld().freeCells().length);
    expect(r.r2InSampleAfter).toBeGreaterThan(r.r2InSampleBefore + 0.25);
  }, 120_000);

  it('splits the free cells of each maze into two checkerboard halves that cover it', () => {
    for (const maze of [DEFAULT_MAZE, VALIDATION_MAZE]) {
      const cells = new GridWorld(maze).freeCells();
      const fit = cells.filter((c) => probeHalf(c) === 'fit');
      const score = cells.filter((c) => probeHalf(c) === 'score');
      expect(fit.length + score.length).toBe(cells.length);
      expect(Math.min(fit.length, score.length)).toBeGreaterThanOrEqual(Math.floor(cells.length / 2) - 1);
      // no cell in both halves; each half spans (nearly) every row and column of the maze
      expect(fit.some((a) => score.some((b) => a[0] === b[0] && a[1] === b[1]))).toBe(false);
      for (const half of [fit, score]) {
        expect(new Set(half.map((c) => c[0])).size).toBeGreaterThanOrEqual(7);
        expect(new Set(half.map((c) => c[1])).size).toBeGreaterThanOrEqual(7);
      }
    }
  });

  it('keeps the tensor count flat across Trainer steps and logs the four terms', async () => {
    const world = new GridWorld();
    const data = new TransitionDataset(world.explore(96, 3), world.obsSize);
    const model = new Crar(world.obsSize, { seed: 2 });
    const metrics: string[][] = [];
    const { tensorCounts } = await recordedFit(model, data, run(5), [
      { onStepEnd: (i) => void metrics.push(Object.keys(i.metrics ?? {}).sort()) },
    ]);
    expectFlatTensorCount(tensorCounts, 0); // optimizer slots appear in the first step
    expect(metrics[0]).toEqual(['consistency', 'dispersion', 'reward', 'transition']);
    model.dispose();
  });

  it('resumes bit-exactly (data order and dispersion pairs too): 4 + 4 steps equal 8', async () => {
    const world = new GridWorld();
    const data = new TransitionDataset(world.explore(200, 5), world.obsSize);
    await expectExactResume({
      build: () => new Crar(world.obsSize, { seed: 4 }),
      data,
      options: run(8),
      stopAt: 4,
      interrupt: 'end',
    });
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
