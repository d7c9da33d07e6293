import { dcl, dclw, optionDefaults, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { mnistBeforeAll } from '../test-support/data.js';
import { expectNoCollapse } from '../test-support/method-checks.js';
import { DCL } from './dcl.js';
import { splitViews, stackedViews } from './two-views.js';
import { buildViews, IMAGE_METHOD_OPTIONS } from './view-options.js';

const mnist = mnistBeforeAll(512);

it.each(['dcl', 'dclw'])('%s does not collapse on real MNIST over a short run', (name) =>
  expectNoCollapse(name, { encoder: 'mlp' }, mnist.images),
);

it.each([false, true])('weighted=%s: the loss is core dcl/dclw of the two views projections', (weighted) => {
  const m = new DCL([28, 28, 1], weighted ? { encoder: 'mlp', sigma: 0.5 } : { encoder: 'mlp' }, new Rng(5), weighted);
  const batch = mnist.images.getBatch(Array.from({ length: 16 }, (_, i) => i));
  const ctx = { step: 0, totalSteps: 1, epoch: 0, rng: new Rng(7) };
  const [got, want] = tf.tidy(() => {
    const loss = m.computeLoss(batch, ctx).loss.dataSync()[0]!;
    const both = stackedViews(batch, buildViews(optionDefaults(IMAGE_METHOD_OPTIONS)), new Rng(7));
    const [z1, z2] = splitViews(m.projector.apply(m.encoder.apply(both, true), true));
    const o = weighted ? dclw({ temperature: 0.1, sigma: 0.5 }) : dcl({ temperature: 0.1 });
    return [loss, o.compute({ z1, z2 }).dataSync()[0]!];
  });
  expect(m.name).toBe(weighted ? 'dclw' : 'dcl');
  expect(got).toBeCloseTo(want, 5);
  batch.dispose();
  m.dispose();
});
