import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { blur, gaussianBlur } from './gaussian-blur.js';
import { randomGrayscale, toGrayscale } from './grayscale.js';
import { multiCrop } from './multi-crop.js';
import { randomRot90, randomRotation, rot90, rotate } from './rotation.js';
import { solarize } from './solarize.js';
import { defaultViewPipeline } from './views.js';

// PyTorch references: tools/fixtures/vision/augment_reference.py
interface Reference {
  rotation: { image: number[][][]; cases: { degrees: number; fill: number; output: number[][][] }[] };
  blur: { image: number[][][]; cases: { sigma: number; kernelSize: number; output: number[][][] }[] };
}
const ref = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'fixtures', 'vision', 'augment_reference.json'),
    'utf8',
  ),
) as Reference;

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const random = (shape: [number, number, number, number], seed: number) =>
  tf.tidy(() => tf.randomUniform(shape, 0, 1, 'float32', seed) as tf.Tensor4D);
const maxAbsDiff = (a: tf.Tensor, b: number[]) => {
  const av = values(a);
  return Math.max(...av.map((v, i) => Math.abs(v - b[i]!)));
};

/** `op` on a reference image of `shape`, for each of its cases: within 1e-5 of PyTorch's output. */
function expectMatchesReference<C extends { output: number[][][] }>(
  reference: { image: number[][][]; cases: C[] },
  shape: [number, number, number, number],
  op: (img: tf.Tensor4D, c: C) => tf.Tensor,
): void {
  const img = tf.tensor4d(reference.image.flat(2), shape);
  for (const c of reference.cases) {
    const y = op(img, c);
    expect(maxAbsDiff(y, c.output.flat(2))).toBeLessThan(1e-5);
    y.dispose();
  }
  img.dispose();
}

describe('rotation', () => {
  it('four quarter turns are the identity exactly, one turn moves pixels counter-clockwise', () => {
    const x = random([2, 5, 7, 3], 1);
    let y = x.clone();
    for (let i = 0; i < 4; i++) {
      const next = rot90(y, 1);
      if (i === 0) {
        expect(next.shape).toEqual([2, 7, 5, 3]);
        const xs = x.arraySync();
        const ys = next.arraySync();
        // out[i][j] = in[j][w-1-i]: the top-right corner comes to the top-left
        expect(ys[1]![0]![0]).toEqual(xs[1]![0]![6]);
        expect(ys[0]![6]![4]).toEqual(xs[0]![4]![0]);
      }
      y.dispose();
      y = next;
    }
    expect(values(y)).toEqual(values(x));
    const minus = rot90(x, -1);
    const three = rot90(x, 3);
    expect(values(minus)).toEqual(values(three));
    tf.dispose([x, y, minus, three]);
  });

  it('random quarter turns are seeded, exact, and reject non-square images with odd turns', () => {
    const x = random([6, 6, 6, 1], 2);
    const a = randomRot90()(x, new Rng(4));
    const b = randomRot90()(x, new Rng(4));
    expect(values(a)).toEqual(values(b));
    // every output image is one of the four exact rotations of its input
    for (let i = 0; i < 6; i++) {
      const xi = x.slice([i, 0, 0, 0], [1, -1, -1, -1]);
      const ai = values(a.slice([i, 0, 0, 0], [1, -1, -1, -1]));
      const hits = [0, 1, 2, 3].filter((k) => {
        const r = rot90(xi, k);
        const eq = values(r).every((v, j) => v === ai[j]);
        r.dispose();
        return eq;
      });
      expect(hits.length).toBeGreaterThan(0);
      xi.dispose();
    }
    const rect = random([1, 4, 5, 1], 3);
    expect(() => randomRot90()(rect, new Rng(0))).toThrow(/square/);
    tf.dispose(randomRot90({ turns: [0, 2] })(rect, new Rng(0)));
    tf.dispose([x, a, b, rect]);
  });

  it('bilinear rotation matches the PyTorch grid_sample reference', () => {
    expectMatchesReference(ref.rotation, [1, 7, 9, 2], (img, c) => rotate(img, [c.degrees], c.fill));
  });

  it('90 degrees by resampling equals the exact quarter turn on a square image', () => {
    const x = random([2, 6, 6, 2], 5);
    const a = rotate(x, [90, -90], 0);
    const b = tf.concat([
      rot90(x.slice([0, 0, 0, 0], [1, -1, -1, -1]), 1),
      rot90(x.slice([1, 0, 0, 0], [1, -1, -1, -1]), 3),
    ]);
    expect(maxAbsDiff(a, values(b))).toBeLessThan(1e-5);
    tf.dispose([x, a, b]);
  });

  it('a constant image stays constant inside, the corners take the fill', () => {
    const x = tf.fill([3, 21, 21, 1], 0.7) as tf.Tensor4D;
    const y = randomRotation({ degrees: [20, 40], fill: 0.1 })(x, new Rng(6));
    const ys = y.arraySync();
    for (let i = 0; i < 3; i++) {
      // the disc of radius 9 around the centre maps inside the image for any angle
      for (let r = 0; r < 21; r++) {
        for (let c = 0; c < 21; c++) {
          if ((r - 10) ** 2 + (c - 10) ** 2 <= 81) expect(ys[i]![r]![c]![0]).toBeCloseTo(0.7, 5);
        }
      }
      expect(ys[i]![0]![0]![0]).toBeCloseTo(0.1, 5);
    }
    tf.dispose([x, y]);
  });
});

describe('gaussian blur', () => {
  it('matches the PyTorch reflect-padded conv reference', () => {
    expectMatchesReference(ref.blur, [1, 8, 11, 3], (img, c) => blur(img, [c.sigma], c.kernelSize));
  });

  it('blur of a constant is constant, sigma 0 is the identity, and it is seeded', () => {
    const x = tf.fill([4, 10, 9, 3], 0.3) as tf.Tensor4D;
    const y = gaussianBlur({ p: 1, kernelSize: 5 })(x, new Rng(1));
    for (const v of values(y)) expect(v).toBeCloseTo(0.3, 5);
    const r = random([3, 8, 8, 1], 2);
    expect(maxAbsDiff(blur(r, [0, 0, 0], 3), values(r))).toBeLessThan(1e-6);
    const a = gaussianBlur()(r, new Rng(9));
    const b = gaussianBlur()(r, new Rng(9));
    expect(values(a)).toEqual(values(b));
    tf.dispose([x, y, r, a, b]);
  });
});

describe('grayscale and solarize', () => {
  it('grey images stay unchanged; colour images become BT.601 luma on 3 channels', () => {
    const grey = tf.tidy(() => tf.tile(random([2, 4, 4, 1], 3), [1, 1, 1, 3]) as tf.Tensor4D);
    const g = toGrayscale(grey);
    expect(maxAbsDiff(g, values(grey))).toBeLessThan(1e-6);
    const rgb = tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5], [1, 2, 2, 3]);
    const y = randomGrayscale(1)(rgb, new Rng(0));
    expect(y.shape).toEqual([1, 2, 2, 3]);
    const expected = [0.299, 0.299, 0.299, 0.587, 0.587, 0.587, 0.114, 0.114, 0.114, 0.5, 0.5, 0.5];
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
    const none = randomGrayscale(0)(rgb, new Rng(0));
    expect(values(none)).toEqual(values(rgb));
    tf.dispose([grey, g, rgb, y, none]);
  });

  it('solarize inverts only pixels at or above the threshold; at threshold 0 it is an involution', () => {
    const x = random([3, 5, 5, 3], 4);
    const y = solarize({ threshold: 0.6, p: 1 })(x, new Rng(0));
    const xv = values(x);
    values(y).forEach((v, i) => {
      expect(v).toBeCloseTo(xv[i]! >= 0.6 ? 1 - xv[i]! : xv[i]!, 6);
    });
    const inv = solarize({ threshold: 0, p: 1 });
    const once = inv(x, new Rng(0));
    const twice = inv(once, new Rng(0));
    expect(maxAbsDiff(twice, xv)).toBeLessThan(1e-6);
    const off = solarize({ threshold: 1.01, p: 1 })(x, new Rng(0));
    expect(values(off)).toEqual(xv);
    tf.dispose([x, y, once, twice, off]);
  });
});

describe('multi-crop', () => {
  it('returns global then local crops of the right sizes, seeded', () => {
    const x = random([3, 28, 28, 1], 7);
    const views = multiCrop({ globalCrops: 2, localCrops: 4 })(x, new Rng(1));
    expect(views.map((v) => v.shape)).toEqual([
      [3, 28, 28, 1],
      [3, 28, 28, 1],
      [3, 12, 12, 1],
      [3, 12, 12, 1],
      [3, 12, 12, 1],
      [3, 12, 12, 1],
    ]);
    const again = multiCrop({ globalCrops: 2, localCrops: 4 })(x, new Rng(1));
    views.forEach((v, i) => {
      expect(values(again[i]!)).toEqual(values(v));
    });
    expect(values(views[0]!)).not.toEqual(values(views[1]!));
    // crops stay inside the image: a crop of a constant image is that constant
    const c = tf.fill([2, 20, 20, 3], 0.4) as tf.Tensor4D;
    const cv = multiCrop({ localSize: [8, 8] })(c, new Rng(3));
    for (const v of cv) for (const p of values(v)) expect(p).toBeCloseTo(0.4, 5);
    tf.dispose([x, c, ...views, ...again, ...cv]);
  });
});

describe('default view pipeline options', () => {
  it('the new steps are off by default (same views as before) and change the views when on', () => {
    const x = random([4, 12, 12, 3], 9);
    const base = defaultViewPipeline()(x, new Rng(2));
    const off = defaultViewPipeline({ rotate: 0, grayscale: 0, blur: 0, solarize: 0 })(x, new Rng(2));
    expect(values(off)).toEqual(values(base));
    const pipe = defaultViewPipeline({ rotate: 20, grayscale: 1, blur: 1, solarize: 1 });
    const on = pipe(x, new Rng(2));
    const again = pipe(x, new Rng(2));
    expect(values(again)).toEqual(values(on));
    expect(values(on)).not.toEqual(values(base));
    tf.dispose([x, base, off, on, again]);
  });
});

describe('no tensors leak', () => {
  it('tensor count stays flat across repeated augmentation steps', () => {
    const x = random([4, 16, 16, 3], 8);
    const steps = [
      randomRot90(),
      randomRotation({ fill: 0.5 }),
      gaussianBlur({ p: 1 }),
      randomGrayscale(0.5),
      solarize({ p: 0.5 }),
    ];
    const mc = multiCrop({ augment: steps[2] });
    const rng = new Rng(0);
    const run = () => {
      for (const s of steps) tf.dispose(s(x, rng));
      tf.dispose(mc(x, rng));
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
