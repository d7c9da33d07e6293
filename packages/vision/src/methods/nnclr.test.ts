import { Rng } from '@autodidact/core';
import { expect, it } from 'vitest';
import { mnistBeforeAll } from '../test-support/data.js';
import { expectNoCollapse, expectQueueWrapsAround, stateAfterResume } from '../test-support/method-checks.js';
import { NNCLR } from './nnclr.js';

const mnist = mnistBeforeAll(512);
const options = { encoder: 'mlp', queueSize: 128 };

it('does not collapse on real MNIST over a short run', () => expectNoCollapse('nnclr', options, mnist.images));

it('pushes the view-1 projections of each step into its support queue, wrapping around', () => {
  const m = new NNCLR([28, 28, 1], { encoder: 'mlp', queueSize: 5, projectionDim: 2 }, new Rng(0));
  expectQueueWrapsAround(
    (keys) => m.support.push(keys),
    () => m.support,
  );
  const state = m.stateVariables();
  expect(state.get('support/rows')).toBe(m.support.rows);
  expect(state.get('support/pointer')).toBe(m.support.pointer);
  m.dispose();
});

it('resumes with the support queue of its checkpoint', async () => {
  const { straight, resumed, atCheckpoint } = await stateAfterResume('nnclr', options, mnist.images, 'support/rows');
  expect(atCheckpoint).not.toEqual(straight); // steps 5-6 pushed more rows
  expect(resumed.length).toBe(straight.length);
  for (let i = 0; i < straight.length; i++) expect(resumed[i]).toBeCloseTo(straight[i]!, 4);
});
