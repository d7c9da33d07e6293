/**
 * DINO and SwAV (the multi-crop methods): chance-level loss at init, no collapse on a short run
 * on real MNIST, a flat tensor count, and a checkpointed run (teacher, centre, queue) that
 * resumes to the same state as an uninterrupted one.
 */
import { collapseDiagnostics, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runExactResume } from '../../../core/src/test-support/exact-resume.js';
import { expectFlatTensorCount, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { mnistBeforeAll } from '../test-support/data.js';
import { methods } from './registry.js';

const mnist = mnistBeforeAll(512);

// An MLP encoder (local crops at full size) and 2 local crops keep these fast; SwAV's queue
// holds two batches of 32 and starts at step 1, so it is in use from the third step.
const OPTIONS: Record<string, Record<string, unknown>> = {
  dino: { encoder: 'mlp', localCrops: 2, outDim: 512, teacherWarmupSteps: 4 },
  swav: { encoder: 'mlp', localCrops: 2, prototypes: 50, queueSize: 64, queueStartStep: 1, freezePrototypesSteps: 2 },
};
const create = (name: string, seed: number, over: Record<string, unknown> = {}) =>
  methods.get(name).create({ sampleShape: [28, 28, 1], options: { ...OPTIONS[name], ...over }, rng: new Rng(seed) });

describe.each(['dino', 'swav'])('%s', (name) => {
  it('starts at chance: the first loss is ln K up to the spread of the random logits', () => {
    const m = create(name, 0);
    const o = m.options as Record<string, number>;
    const k = name === 'dino' ? o.outDim! : o.prototypes!;
    const tau = name === 'dino' ? o.studentTemperature! : o.temperature!;
    const batch = mnist.images.getBatch(Array.from({ length: 64 }, (_, i) => i));
    const loss = tf.tidy(
      () => m.computeLoss(batch, { step: 0, totalSteps: 10, epoch: 0, rng: new Rng(1) }).loss.dataSync()[0]!,
    );
    // Student logits are cosines / tau with std about 1 / (tau sqrt(d)) at init, which moves the
    // cross-entropy from ln K by at most about their variance / 2 (log-sum-exp of Gaussians).
    const spread = 1 / (2 * tau * tau * o.projectionDim!);
    expect(Math.abs(loss - Math.log(k)), `loss ${loss}, ln K ${Math.log(k)}`).toBeLessThan(spread + 0.1);
    tf.dispose(batch);
    m.dispose();
  });

  it('does not collapse on real MNIST: embedding std and effective rank stay up', async () => {
    const m = create(name, 2);
    await new Trainer(m, { batchSize: 64, steps: 40, seed: 2, quiet: true, optimizer: { name: 'adam', lr: 2e-3 } }).fit(
      mnist.images,
    );
    const x = mnist.images.getBatch(Array.from({ length: 256 }, (_, i) => i));
    const z = m.embed(x) as tf.Tensor2D;
    const d = collapseDiagnostics(z);
    // A collapsed encoder has std ratio near 0 and effective rank near 1.
    expect(d.stdRatio, JSON.stringify(d)).toBeGreaterThan(0.3);
    expect(d.effectiveRank, JSON.stringify(d)).toBeGreaterThan(8);
    tf.dispose([x, z]);
    m.dispose();
  });

  it('keeps the tensor count flat across training steps', async () => {
    const m = create(name, 1);
    const { tensorCounts } = await recordedFit(m, mnist.images, { batchSize: 32, steps: 6, seed: 1, quiet: true });
    expectFlatTensorCount(tensorCounts, 1);
    expect(m.minBatchSize).toEqual(methods.get(name).minBatchSize);
    m.dispose();
  });

  it('resumes from a checkpoint to the state of an uninterrupted run (teacher, centre, queue)', async () => {
    const opts = { batchSize: 32, steps: 6, seed: 3, quiet: true, checkpointEverySeconds: 0, diagnosticsEvery: 0 };
    // Straight through, stopped after step 3 with a checkpoint, then resumed to step 6.
    const run = await runExactResume({ build: () => create(name, 3), data: mnist.images, options: opts, stopAt: 3 });
    expect(run.resumed.lossHistory).toHaveLength(6);
    const expected = run.straightState;
    const got = run.resumedState;
    const names = [...expected.keys()];
    expect(names).toContain(name === 'dino' ? 'dino/center' : 'queue/features');
    expect(names.some((n) => n.startsWith(name === 'dino' ? 'teacher/' : 'prototypes'))).toBe(true);
    expect([...got.keys()].sort()).toEqual(names.sort());
    for (const [k, v] of expected) {
      const g = got.get(k)!;
      const diff = v.reduce((a, x, i) => Math.max(a, Math.abs(x - g[i]!)), 0);
      expect(diff, k).toBeLessThan(1e-5);
    }
    if (name === 'swav') expect(got.get('queue/filled')).toEqual([64]);
  });
});
