/**
 * Multi-crop on every two-view method (two-views.ts, `localCrops`): 0 is the default and leaves
 * the loss bit-identical; with local crops the loss is (L(v1, v2) + sum of the 2k local pair
 * losses) / (1 + 2k) with L(v1, v2) the loss without them; a short run on real MNIST lowers it,
 * keeps the tensor count flat and resumes from a checkpoint to the state of an uninterrupted run.
 */
import { Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dataFile, mnistBeforeAll } from '../test-support/data.js';
import { allStateAfterResume } from '../test-support/method-checks.js';
import { methods } from './registry.js';
import type { SimCLROptions } from './simclr.js';
import { MULTI_CROP_OPTIONS, multiCropViews } from './two-views.js';
import { buildViews } from './view-options.js';

const mnist = mnistBeforeAll(512);

// Small queues so that MoCo's and NNCLR's are full of real rows within the short runs.
const BASE: Record<string, Record<string, unknown>> = {
  simclr: {},
  moco: { queueSize: 128 },
  byol: {},
  simsiam: {},
  directpred: {},
  'barlow-twins': {},
  vicreg: {},
  nnclr: { queueSize: 128 },
  dcl: {},
  dclw: {},
  mocov3: {},
  tico: {},
  supcon: { labeledData: dataFile('mnist', 'train-images-idx3-ubyte'), labeledCount: 512 },
};
const NAMES = Object.keys(BASE);
/** State that makes a method's loss rise early in a run (see the training test). */
const RESET: Record<string, string[]> = { moco: ['queue/keys'], tico: ['tico/covariance'] };
const opts = (name: string, over: Record<string, unknown> = {}) => ({ encoder: 'mlp', ...BASE[name], ...over });
const create = (name: string, options: Record<string, unknown>, seed = 1) =>
  methods.get(name).create({ sampleShape: [28, 28, 1], options, rng: new Rng(seed) });

/** Loss and its `localPairs` metric for the first 16 images, one step from a fresh method. */
function firstLoss(name: string, options: Record<string, unknown>): { loss: number; localPairs?: number } {
  const m = create(name, options);
  const batch = mnist.images.getBatch(Array.from({ length: 16 }, (_, i) => i));
  const out = tf.tidy(() => {
    const o = m.computeLoss(batch, { step: 0, totalSteps: 10, epoch: 0, rng: new Rng(2) });
    return { loss: o.loss.dataSync()[0]!, localPairs: o.metrics?.localPairs?.dataSync()[0] };
  });
  batch.dispose();
  m.dispose();
  return out;
}

it('every two-view method lists the multi-crop options with the names and defaults DINO and SwAV use', () => {
  for (const name of NAMES) {
    const d = methods.get(name).defaults as Record<string, unknown>;
    expect(d.localCrops, name).toBe(0);
    expect(d.localScale, name).toEqual(MULTI_CROP_OPTIONS.localScale.default);
    expect(d.localSize, name).toBe(MULTI_CROP_OPTIONS.localSize.default);
  }
  for (const name of ['dino', 'swav']) {
    const d = methods.get(name).defaults as Record<string, unknown>;
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['localCrops', 'localScale', 'localSize']));
  }
});

it('refuses bad multi-crop options in one line naming the option', () => {
  expect(() => create('simclr', { localCrops: 1.5 })).toThrow(/^[^\n]*localCrops[^\n]*$/);
  expect(() => create('byol', { localCrops: -1 })).toThrow(/^[^\n]*localCrops[^\n]*$/);
  expect(() => create('vicreg', { localScale: [0.5, 0.2] })).toThrow(/^[^\n]*localScale[^\n]*$/);
  expect(() => create('dcl', { localSize: -3 })).toThrow(/^[^\n]*localSize[^\n]*$/);
});

describe.each(NAMES)('multi-crop on %s', (name) => {
  it('localCrops 0 leaves the loss bit-identical; k local crops average 2k local pairs with the global pair', () => {
    const plain = firstLoss(name, opts(name));
    const zero = firstLoss(name, opts(name, { localCrops: 0 }));
    expect(zero.loss).toBe(plain.loss); // bit-identical
    expect(zero.localPairs).toBeUndefined();
    const k = 2;
    const multi = firstLoss(name, opts(name, { localCrops: k }));
    expect(Number.isFinite(multi.loss) && Number.isFinite(multi.localPairs!)).toBe(true);
    expect(multi.loss).not.toBe(plain.loss);
    if (name !== 'moco') {
      // The global views are drawn first from the same generator, so the global pair's loss is
      // the one without local crops (MoCo draws its key permutation after the local crops).
      const base = multi.loss * (1 + 2 * k) - 2 * k * multi.localPairs!;
      expect(Math.abs(base - plain.loss), `${base} vs ${plain.loss}`).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(plain.loss)),
      );
    }
  });

  it('localCrops 2 trains on real MNIST: the loss falls, the tensor count stays flat', async () => {
    const m = create(name, opts(name, { localCrops: 2 }), 0);
    // MoCo's loss rises while its queue fills with real keys and TiCo's while its running
    // covariance fills: for them the loss that must fall is that of a fixed batch with the
    // queue / covariance as at the start.
    const reset = RESET[name];
    const state = m.stateVariables();
    const start = reset && new Map(reset.map((key) => [key, tf.keep(state.get(key)!.clone())]));
    const fixedLoss = () => {
      for (const [key, v] of start ?? []) state.get(key)!.assign(v);
      const x = mnist.images.getBatch(Array.from({ length: 64 }, (_, i) => 256 + i));
      const l = tf.tidy(
        () => m.computeLoss(x, { step: 0, totalSteps: 30, epoch: 0, rng: new Rng(5) }).loss.dataSync()[0]!,
      );
      x.dispose();
      return l;
    };
    const before = reset ? fixedLoss() : 0;
    const counts: number[] = [];
    const r = await new Trainer(
      m,
      { batchSize: 64, steps: 30, seed: 0, quiet: true, diagnosticsEvery: 0, optimizer: { name: 'adam', lr: 2e-3 } },
      [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }],
    ).fit(mnist.images);
    const losses = r.lossHistory;
    expect(losses.every(Number.isFinite), losses.join(',')).toBe(true);
    expect(new Set(counts.slice(1)).size, counts.join(',')).toBe(1);
    if (reset) {
      const after = fixedLoss();
      expect(after, `${before} -> ${after}`).toBeLessThan(before);
      tf.dispose([...start!.values()]);
    } else {
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(losses.slice(-5)), losses.join(',')).toBeLessThan(mean(losses.slice(0, 3)));
    }
    m.dispose();
  });

  it('localCrops 2 resumes from a checkpoint to the state of an uninterrupted run', async () => {
    const { straight, resumed } = await allStateAfterResume(name, opts(name, { localCrops: 2 }), mnist.images);
    expect([...resumed.keys()].sort()).toEqual([...straight.keys()].sort());
    for (const [key, v] of straight) {
      const g = resumed.get(key)!;
      const diff = v.reduce((a, x, i) => Math.max(a, Math.abs(x - g[i]!)), 0);
      expect(diff, key).toBeLessThan(1e-5);
    }
  });
});

it('takes local crops at their own size on the convolutional encoder (12 px for 28 px)', async () => {
  const o = { ...(methods.get('simclr').defaults as SimCLROptions), localCrops: 2 };
  const x = mnist.images.getBatch([0, 1, 2]);
  const { global, local } = multiCropViews(x, buildViews(o), o, new Rng(0));
  expect(global.shape).toEqual([6, 28, 28, 1]);
  expect(local?.shape).toEqual([6, 12, 12, 1]);
  tf.dispose([x, global, local!]);
  const m = create('simclr', { localCrops: 2, width: 8 }, 0);
  const r = await new Trainer(m, { batchSize: 32, steps: 3, seed: 0, quiet: true, diagnosticsEvery: 0 }).fit(
    mnist.images,
  );
  expect(r.lossHistory.every(Number.isFinite)).toBe(true);
  m.dispose();
});
