import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compose } from './augmentation.js';
import { cutout } from './cutout.js';
import { horizontalFlip } from './horizontal-flip.js';
import { randomResizedCrop, sampleCropBox } from './random-resized-crop.js';
import { defaultViewPipeline, twoViews } from './views.js';

const ramp = () =>
  tf.tidy(
    () =>
      tf
        .range(0, 2 * 6 * 5)
        .reshape([2, 6, 5, 1])
        .div(60) as tf.Tensor4D,
  );

describe('augmentations', () => {
  it('crop boxes stay inside the image and respect the area range', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const h = 8 + rng.int(40);
      const w = 8 + rng.int(40);
      const b = sampleCropBox(rng, h, w, [0.3, 1], [3 / 4, 4 / 3]);
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.top + b.height).toBeLessThanOrEqual(h);
      expect(b.left + b.width).toBeLessThanOrEqual(w);
      expect(b.height * b.width).toBeGreaterThan(0.2 * h * w);
    }
  });

  it('a full-scale crop of aspect 1 is the identity', () => {
    const x = ramp();
    const y = randomResizedCrop({ scale: [1, 1], ratio: [5 / 6, 5 / 6] })(x, new Rng(0));
    // a 6x5 image with ratio w/h = 5/6 and full area: the crop is the whole image
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()).map((v) => expect.closeTo(v, 5)));
    tf.dispose([x, y]);
  });

  it('flipping twice is the identity and flipping once mirrors columns', () => {
    const x = ramp();
    const flip = horizontalFlip(1);
    const once = flip(x, new Rng(0));
    const twice = flip(once, new Rng(0));
    expect(Array.from(twice.dataSync())).toEqual(Array.from(x.dataSync()));
    const xs = x.arraySync() as number[][][][];
    const os = once.arraySync() as number[][][][];
    expect(os[1]![2]![0]![0]).toBe(xs[1]![2]![4]![0]);
    tf.dispose([x, once, twice]);
  });

  it('cutout zeroes at most a size x size square per image', () => {
    const x = tf.ones([16, 12, 12, 1]) as tf.Tensor4D;
    const y = cutout(4, 1)(x, new Rng(3));
    const zeros = (y.sum([1, 2, 3]).arraySync() as number[]).map((s) => 144 - s);
    for (const z of zeros) {
      expect(z).toBeGreaterThan(0);
      expect(z).toBeLessThanOrEqual(16);
    }
    tf.dispose([x, y]);
  });

  it('the same seed gives the same views, another seed other views, and no tensors leak', () => {
    const x = ramp();
    const pipe = defaultViewPipeline({ flip: true, cutout: 2 });
    tf.dispose(twoViews(x, pipe, new Rng(0))); // first calls may cache constants inside tfjs
    const before = tf.memory().numTensors;
    const [a1, a2] = twoViews(x, pipe, new Rng(7));
    const [b1, b2] = twoViews(x, pipe, new Rng(7));
    const [c1, c2] = twoViews(x, pipe, new Rng(8));
    expect(Array.from(b1.dataSync())).toEqual(Array.from(a1.dataSync()));
    expect(Array.from(a2.dataSync())).not.toEqual(Array.from(a1.dataSync()));
    expect(Array.from(c1.dataSync())).not.toEqual(Array.from(a1.dataSync()));
    tf.dispose([a1, a2, b1, b2, c1, c2]);
    expect(tf.memory().numTensors).toBe(before);
    const y = compose()(x, new Rng(0));
    expect(y).not.toBe(x);
    tf.dispose([x, y]);
  });
});
