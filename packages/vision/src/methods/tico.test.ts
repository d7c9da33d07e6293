import { Rng, Trainer } from '@autodidact/core';
import { expect, it } from 'vitest';
import { mnistBeforeAll } from '../test-support/data.js';
import { expectNoCollapse, stateAfterResume } from '../test-support/method-checks.js';
import { TiCo } from './tico.js';

const mnist = mnistBeforeAll(512);
const options = { encoder: 'mlp', projectionDim: 32 };

it('does not collapse on real MNIST over a short run', () => expectNoCollapse('tico', options, mnist.images));

it('keeps a running covariance: zeros at the start, then a symmetric matrix of trace below 1', async () => {
  const m = new TiCo([28, 28, 1], options, new Rng(0));
  expect(Math.max(...Array.from(m.covariance.dataSync()).map(Math.abs))).toBe(0);
  expect(m.stateVariables().get('tico/covariance')).toBe(m.covariance);
  await new Trainer(m, { batchSize: 32, steps: 3, quiet: true }).fit(mnist.images);
  const c = m.covariance.arraySync() as number[][];
  const d = c.length;
  let trace = 0;
  for (let i = 0; i < d; i++) {
    trace += c[i]![i]!;
    for (let j = 0; j < d; j++) expect(c[i]![j]).toBeCloseTo(c[j]![i]!, 5);
  }
  // C_3 = 0.1 (0.81 B1 + 0.9 B2 + B3) with trace(B) = 1 for unit rows: 0.271
  expect(trace).toBeCloseTo(0.271, 4);
  m.dispose();
});

it('resumes with the running covariance of its checkpoint', async () => {
  const { straight, resumed, atCheckpoint } = await stateAfterResume('tico', options, mnist.images, 'tico/covariance');
  expect(atCheckpoint).not.toEqual(straight);
  for (let i = 0; i < straight.length; i++) expect(resumed[i]).toBeCloseTo(straight[i]!, 4);
});
