import { initBackend, Rng, type TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { loadIdx } from '../io/idx.js';
import { dataFile } from '../test-support/data.js';
import { diagnosticsAfter, stateAfterResume } from '../test-support/method-checks.js';
import { NNCLR } from './nnclr.js';

let mnist: TensorDataset;
beforeAll(async () => {
  await initBackend({ quiet: true });
  mnist = await loadIdx(dataFile('mnist', 'train-images-idx3-ubyte'), { limit: 512 });
});
const options = { encoder: 'mlp', queueSize: 128 };

it('does not collapse on real MNIST over a short run', async () => {
  const d = await diagnosticsAfter('nnclr', options, mnist);
  expect(d.stdRatio).toBeGreaterThan(0.5);
  expect(d.effectiveRank).toBeGreaterThan(8);
});

it('pushes the view-1 projections of each step into its support queue, wrapping around', () => {
  const m = new NNCLR([28, 28, 1], { encoder: 'mlp', queueSize: 5, projectionDim: 2 }, new Rng(0));
  const rows = (r: number[][]) => tf.tensor2d(r);
  const a = rows([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  const b = rows([
    [4, 4],
    [5, 5],
    [6, 6],
  ]);
  m.support.push(a);
  m.support.push(b);
  expect(Array.from(m.support.rows.dataSync())).toEqual([6, 6, 2, 2, 3, 3, 4, 4, 5, 5]);
  expect(m.support.pointer.dataSync()[0]).toBe(1);
  const state = m.stateVariables();
  expect(state.get('support/rows')).toBe(m.support.rows);
  expect(state.get('support/pointer')).toBe(m.support.pointer);
  tf.dispose([a, b]);
  m.dispose();
});

it('resumes with the support queue of its checkpoint', async () => {
  const { straight, resumed, atCheckpoint } = await stateAfterResume('nnclr', options, mnist, 'support/rows');
  expect(atCheckpoint).not.toEqual(straight); // steps 5-6 pushed more rows
  expect(resumed.length).toBe(straight.length);
  for (let i = 0; i < straight.length; i++) expect(resumed[i]).toBeCloseTo(straight[i]!, 4);
});
