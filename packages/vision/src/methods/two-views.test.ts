import { koleo, optionDefaults, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mnistBeforeAll } from '../test-support/data.js';
import { methods } from './registry.js';
import { splitViews, stackedViews } from './two-views.js';
import { buildViews, IMAGE_METHOD_OPTIONS } from './view-options.js';

const mnist = mnistBeforeAll(64);

// Every two-view method takes the KoLeo option; these do not draw from the generator after the views.
describe.each([
  'simclr',
  'byol',
  'simsiam',
  'barlow-twins',
  'vicreg',
  'directpred',
  'nnclr',
  'dcl',
  'dclw',
  'mocov3',
  'tico',
])('KoLeo on %s', (name) => {
  it('weight 0 is the default and leaves the loss as it was; weight w adds w (KoLeo(h1) + KoLeo(h2))', () => {
    expect(methods.get(name).defaults.koleo).toBe(0);
    const batch = mnist.images.getBatch(Array.from({ length: 16 }, (_, i) => i));
    const lossWith = (koleoWeight: number | undefined) => {
      const options = koleoWeight === undefined ? { encoder: 'mlp' } : { encoder: 'mlp', koleo: koleoWeight };
      const m = methods.get(name).create({ sampleShape: [28, 28, 1], options, rng: new Rng(1) });
      const out = tf.tidy(() => {
        const ctx = { step: 0, totalSteps: 10, epoch: 0, rng: new Rng(2) };
        const loss = m.computeLoss(batch, ctx).loss.dataSync()[0]!;
        const h = m.encoder.apply(
          stackedViews(batch, buildViews(optionDefaults(IMAGE_METHOD_OPTIONS)), new Rng(2)),
          true,
        );
        const [h1, h2] = splitViews(h as tf.Tensor2D);
        const k = koleo();
        return { loss, term: k.compute({ z: h1 }).dataSync()[0]! + k.compute({ z: h2 }).dataSync()[0]! };
      });
      m.dispose();
      return out;
    };
    const plain = lossWith(undefined);
    const zero = lossWith(0);
    const weighted = lossWith(0.5);
    expect(zero.loss).toBe(plain.loss); // bit-identical
    expect(weighted.loss - plain.loss).toBeCloseTo(0.5 * plain.term, 4);
    batch.dispose();
  });
});
