import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { addNoise } from './add-noise.js';
import { composeAudio } from './augmentation.js';
import { randomCrop } from './random-crop.js';
import { randomGain } from './random-gain.js';
import { freqMask, timeMask } from './spec-mask.js';

const ramp = (b: number, n: number) =>
  tf.tensor2d(
    Float32Array.from({ length: b * n }, (_, i) => i),
    [b, n],
  );
const rmsRows = (x: tf.Tensor2D) => tf.tidy(() => tf.sqrt(tf.mean(tf.square(x), 1))).arraySync() as number[];

describe('audio augmentations', () => {
  it('randomCrop returns contiguous windows of the source clip at varied offsets', () => {
    const x = ramp(6, 50);
    const y = randomCrop(20)(x, new Rng(3));
    expect(y.shape).toEqual([6, 20]);
    const rows = y.arraySync();
    const starts = new Set<number>();
    rows.forEach((r, i) => {
      const start = r[0]! - i * 50;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start).toBeLessThanOrEqual(30);
      expect(r).toEqual(r.map((_, t) => i * 50 + start + t));
      starts.add(start);
    });
    expect(starts.size).toBeGreaterThan(1);
    expect(() => randomCrop(60)(x, new Rng(0))).toThrow(/randomCrop\.length/);
    tf.dispose([x, y]);
  });

  it('randomGain scales each clip by a factor within the dB range, seeded', () => {
    const x = tf.ones([64, 10]) as tf.Tensor2D;
    const y = randomGain(-6, 6)(x, new Rng(1));
    const g = y.arraySync().map((r) => r[0]!);
    for (const v of g) {
      expect(v).toBeGreaterThanOrEqual(10 ** (-6 / 20) - 1e-6);
      expect(v).toBeLessThanOrEqual(10 ** (6 / 20) + 1e-6);
    }
    expect(Math.max(...g) / Math.min(...g)).toBeGreaterThan(2);
    const y2 = randomGain(-6, 6)(x, new Rng(1));
    expect(y2.arraySync()).toEqual(y.arraySync());
    tf.dispose([x, y, y2]);
  });

  it('addNoise hits the requested SNR per clip', () => {
    const n = 4000;
    const sine = Array.from({ length: 3 }, (_, i) =>
      Array.from({ length: n }, (_, t) => (i + 1) * 0.2 * Math.sin((2 * Math.PI * 440 * t) / 16000)),
    );
    const x = tf.tensor2d(sine);
    for (const snr of [0, 10, 20]) {
      const y = addNoise(snr)(x, new Rng(snr));
      const noise = tf.sub(y, x) as tf.Tensor2D;
      const s = rmsRows(x);
      const e = rmsRows(noise);
      for (let i = 0; i < 3; i++) expect(20 * Math.log10(s[i]! / e[i]!)).toBeCloseTo(snr, 3);
      tf.dispose([y, noise]);
    }
    x.dispose();
  });

  it('time and frequency masks zero whole spans and nothing else', () => {
    const x = tf.ones([8, 30, 12]) as tf.Tensor3D;
    const t = timeMask({ maxWidth: 5, count: 2 })(x, new Rng(2)).arraySync();
    let masked = 0;
    for (const clip of t) {
      for (const frame of clip) {
        const zeros = frame.filter((v) => v === 0).length;
        expect([0, 12]).toContain(zeros); // a frame is masked entirely or not at all
        if (zeros) masked++;
      }
    }
    expect(masked).toBeGreaterThan(0);
    expect(masked).toBeLessThanOrEqual(8 * 2 * 5);
    const f = freqMask({ maxWidth: 4, value: -1 })(x, new Rng(5)).arraySync();
    for (const clip of f) {
      const bands = clip[0]!.map((v) => v === -1);
      for (const frame of clip) expect(frame.map((v) => v === -1)).toEqual(bands); // same bands every frame
      expect(bands.filter(Boolean).length).toBeLessThanOrEqual(4);
    }
    x.dispose();
  });

  it('compose chains steps without leaking tensors', () => {
    const x = ramp(4, 100);
    const aug = composeAudio(randomCrop(50), randomGain(), addNoise(20));
    aug(x, new Rng(0)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) aug(x, new Rng(i)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
