import { Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { mnistBeforeAll } from '../test-support/data.js';
import { expectNoCollapse, stateAfterResume } from '../test-support/method-checks.js';
import { MoCoV3 } from './mocov3.js';

const mnist = mnistBeforeAll(512);
const options = { encoder: 'mlp' };

it('does not collapse on real MNIST over a short run', () => expectNoCollapse('mocov3', options, mnist.images));

it('starts the momentum encoder equal to the query encoder, moves it by EMA only, has no queue', async () => {
  const m = new MoCoV3([28, 28, 1], { ...options, baseMomentum: 0.9 }, new Rng(2));
  const k = 'encoder/dense1/kernel';
  const online = m.encoder.trainableVariables().get(k)!;
  const key = m.momentumEncoder.trainableVariables().get(k)!;
  expect(Array.from(key.dataSync())).toEqual(Array.from(online.dataSync()));
  expect([...m.trainableVariables().keys()].some((n) => n.startsWith('momentum/'))).toBe(false);
  expect([...m.stateVariables().keys()].some((n) => n.startsWith('queue'))).toBe(false);
  const k0 = key.clone();
  await new Trainer(m, { batchSize: 32, steps: 3, quiet: true }).fit(mnist.images);
  expect(tf.tidy(() => tf.sub(key, k0).abs().max().dataSync()[0]!)).toBeGreaterThan(0);
  expect(tf.tidy(() => tf.sub(key, online).abs().max().dataSync()[0]!)).toBeGreaterThan(0);
  k0.dispose();
  m.dispose();
});

it('resumes with the momentum encoder of its checkpoint', async () => {
  const key = 'momentum/encoder/dense1/kernel';
  const { straight, resumed } = await stateAfterResume('mocov3', options, mnist.images, key);
  for (let i = 0; i < straight.length; i += 97) expect(resumed[i]).toBeCloseTo(straight[i]!, 4);
});
