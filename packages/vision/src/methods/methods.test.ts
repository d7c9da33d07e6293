import { Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectMethodContract } from '../../../core/src/test-support/method-contract.js';
import { lossEnds } from '../../../core/src/test-support/recorded-fit.js';
import { dataFile, mnistBeforeAll } from '../test-support/data.js';
import { expectQueueWrapsAround } from '../test-support/method-checks.js';
import { methods } from './registry.js';

// Small and fast on every backend: an MLP encoder (and decoder), a few hundred real MNIST digits.
// MoCo's queue holds one batch of keys, so from the second step on every negative is a real key
// (its first step, against random unit vectors, is easy and left out of the comparison below).
// Context and jigsaw embed patches, which needs a convolutional encoder (a narrow one here).
const smallOptions = (name: string): Record<string, unknown> => {
  switch (name) {
    case 'autoencoder':
    case 'mae':
      return { encoder: 'mlp', decoder: 'dense' };
    case 'moco':
      return { encoder: 'mlp', queueSize: 64, baseMomentum: 0.9 };
    case 'context':
    case 'jigsaw':
    case 'multi-task':
      return { encoder: 'conv-small', width: 4 };
    case 's4l':
      return { encoder: 'mlp', labeledData: dataFile('mnist', 'train-images-idx3-ubyte'), labeledCount: 256 };
    case 'nnclr':
      return { encoder: 'mlp', queueSize: 128 };
    // MoCo v3's keys, like MoCo's, follow faster than the paper's 0.99 in a 16-step test.
    case 'mocov3':
      return { encoder: 'mlp', baseMomentum: 0.9 };
    // TiCo's contrast term grows while its running covariance fills from zeros (1 - 0.9^t of its
    // trace), as MoCo's queue does; beta = 0 (the batch's own covariance) makes the loss comparable across steps.
    case 'tico':
      return { encoder: 'mlp', beta: 0 };
    case 'supcon':
      return { encoder: 'mlp', labeledData: dataFile('mnist', 'train-images-idx3-ubyte'), labeledCount: 512 };
    default:
      return { encoder: 'mlp' };
  }
};
const small = smallOptions('byol');
const mnist = mnistBeforeAll(512);

describe.each([
  'simclr',
  'byol',
  'autoencoder',
  'simsiam',
  'directpred',
  'barlow-twins',
  'vicreg',
  'moco',
  'mae',
  'rotation',
  'context',
  'jigsaw',
  'multi-task',
  's4l',
  'nnclr',
  'dcl',
  'dclw',
  'mocov3',
  'tico',
  'supcon',
])('%s', (name) => {
  it('learns on real MNIST: the loss falls', async () => {
    const method = methods.get(name).create({ sampleShape: [28, 28, 1], options: smallOptions(name), rng: new Rng(0) });
    const result = await new Trainer(method, {
      batchSize: 64,
      steps: name === 'moco' ? 24 : 16,
      seed: 0,
      quiet: true,
      optimizer: { name: 'adam', lr: 2e-3 },
    }).fit(mnist.images);
    const h = name === 'moco' ? result.lossHistory.slice(1) : result.lossHistory;
    // the last four steps' mean loss is clearly below the first four's
    const { first, last } = lossEnds(h, 4);
    expect(last).toBeLessThan((name === 'moco' ? 0.95 : 0.9) * first);
    method.dispose();
  });

  it('keeps the tensor count flat across training steps and its state names stable', async () => {
    const method = methods.get(name).create({ sampleShape: [28, 28, 1], options: smallOptions(name), rng: new Rng(1) });
    await expectMethodContract(method, methods.get(name), mnist.images, {
      batchSize: 32,
      steps: 6,
      seed: 1,
      quiet: true,
    });
    method.dispose();
  });
});

it('SimCLR on a batch of one image has loss 0, so the Trainer refuses batch size 1', async () => {
  const method = methods.get('simclr').create({ sampleShape: [28, 28, 1], options: small, rng: new Rng(3) });
  const batch = mnist.images.getBatch([0]);
  const loss = tf.tidy(
    () => method.computeLoss(batch, { step: 0, totalSteps: 1, epoch: 0, rng: new Rng(4) }).loss.dataSync()[0]!,
  );
  batch.dispose();
  expect(Math.abs(loss)).toBeLessThan(1e-6);
  await expect(new Trainer(method, { batchSize: 1, steps: 1, quiet: true }).fit(mnist.images)).rejects.toThrow(
    /batchSize: method 'simclr' needs at least 2 samples per batch \(NT-Xent tells each image apart .*\), got 1/,
  );
  method.dispose();
});

it('BYOL starts with the target equal to the online network and moves it by EMA only', async () => {
  const { BYOL } = await import('./byol.js');
  const byol = new BYOL([28, 28, 1], small, new Rng(2));
  const k = 'encoder/dense1/kernel';
  const online = byol.encoder.trainableVariables().get(k)!;
  const target = byol.targetEncoder.trainableVariables().get(k)!;
  expect(Array.from(target.dataSync())).toEqual(Array.from(online.dataSync()));
  const t0 = target.clone();
  await new Trainer(byol, { batchSize: 32, steps: 3, quiet: true }).fit(mnist.images);
  const moved = tf.tidy(() => tf.sub(target, t0).abs().max().dataSync()[0]!);
  const gap = tf.tidy(() => tf.sub(target, online).abs().max().dataSync()[0]!);
  expect(moved).toBeGreaterThan(0); // the EMA moved the target
  expect(gap).toBeGreaterThan(0); // ...but it lags the online network
  tf.dispose(t0);
  byol.dispose();
});

it('MoCo writes keys into its queue at the pointer, wrapping around, and checkpoints both', async () => {
  const { MoCo } = await import('./moco.js');
  const moco = new MoCo([28, 28, 1], { ...small, queueSize: 5, projectionDim: 2 }, new Rng(3));
  expectQueueWrapsAround(
    (keys) => moco.enqueue(keys),
    () => ({ rows: moco.queue, pointer: moco.queuePointer }),
  );
  const state = moco.stateVariables();
  expect(state.get('queue/keys')).toBe(moco.queue);
  expect(state.get('queue/pointer')).toBe(moco.queuePointer);
  moco.dispose();
});

it('DirectPred sets its predictor from the projections after every step, never by gradient', async () => {
  const { DirectPred } = await import('./directpred.js');
  const dp = new DirectPred([28, 28, 1], small, new Rng(4));
  expect([...dp.trainableVariables().keys()].some((k) => k.startsWith('predictor/'))).toBe(false);
  const w0 = Array.from(dp.predictor.weight().dataSync());
  await new Trainer(dp, { batchSize: 32, steps: 3, quiet: true }).fit(mnist.images);
  expect(dp.predictor.updateCount()).toBe(3);
  const w = dp.predictor.weight();
  expect(Array.from(w.dataSync())).not.toEqual(w0); // no longer the identity
  // W is symmetric (U diag(p) U^T)
  const asym = tf.tidy(() => tf.sub(w, tf.transpose(w)).abs().max().dataSync()[0]!);
  expect(asym).toBeLessThan(1e-5);
  dp.dispose();
});

it('the masked autoencoder hides whole squares, about maskRatio of them', async () => {
  const { patchMask } = await import('./autoencoder.js');
  const m = patchMask(64, 28, 28, 4, 0.5, new Rng(5));
  const v = m.dataSync();
  let hidden = 0;
  for (let i = 0; i < 64; i++) {
    for (let cy = 0; cy < 7; cy++) {
      for (let cx = 0; cx < 7; cx++) {
        const at = (y: number, x: number) => v[(i * 28 + cy * 4 + y) * 28 + cx * 4 + x];
        const first = at(0, 0);
        for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(at(y, x)).toBe(first);
        if (first === 0) hidden++;
      }
    }
  }
  expect(hidden / (64 * 49)).toBeGreaterThan(0.45);
  expect(hidden / (64 * 49)).toBeLessThan(0.55);
  m.dispose();
});

it('S4L without a labelled set says how to give one', async () => {
  const { S4L } = await import('./s4l.js');
  const s4l = new S4L([28, 28, 1], { encoder: 'mlp' }, new Rng(6));
  await expect(new Trainer(s4l, { batchSize: 8, steps: 1, quiet: true }).fit(mnist.images)).rejects.toThrow(
    /labeledData/,
  );
  const two = mnist.images.inputs.slice(0, 2) as tf.Tensor4D;
  expect(() => s4l.setLabeled(two, Int32Array.from([1, 12]))).toThrow(/classes/);
  tf.dispose(two);
  s4l.dispose();
});
