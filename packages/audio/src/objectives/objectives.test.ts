import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadAudioFixture } from '../test-support/fixtures.js';
import { binaryContrastive } from './binary-contrastive.js';
import { futureLogits, sampleDistractors } from './future-logits.js';

describe('contrastive objectives of the predictive methods', () => {
  it('binaryContrastive matches torch binary_cross_entropy_with_logits (summed per query)', () => {
    const f = loadAudioFixture<{ logits: number[][]; binary: number }>('contrastive');
    const l = tf.tensor2d(f.logits);
    const v = binaryContrastive(l);
    expect(v.dataSync()[0]).toBeCloseTo(f.binary, 4);
    tf.dispose([l, v]);
  });

  it('sampleDistractors never draws the positive and stays within the clip unless crossUtterance', () => {
    const rng = new Rng(0);
    const { positives, negatives, queries } = sampleDistractors(3, 6, 2, { negatives: 20 }, rng);
    expect(queries).toBe(3 * 4);
    for (let q = 0; q < queries; q++) {
      const b = Math.floor(q / 4);
      expect(positives[q]).toBe(b * 6 + (q % 4) + 2);
      for (let j = 0; j < 20; j++) {
        const n = negatives[q * 20 + j]!;
        expect(n).not.toBe(positives[q]);
        expect(Math.floor(n / 6)).toBe(b);
      }
    }
    const cross = sampleDistractors(3, 6, 2, { negatives: 50, crossUtterance: true }, rng);
    const clips = new Set(Array.from(cross.negatives.subarray(0, 50), (n) => Math.floor(n / 6)));
    expect(clips.size).toBeGreaterThan(1);
    expect(() => sampleDistractors(1, 3, 3, { negatives: 1 }, rng)).toThrow(/steps/);
  });

  it('futureLogits scores the prediction at t against z[t+k] first, then the drawn distractors', () => {
    const [b, t, d, k, m] = [2, 5, 3, 1, 4];
    const zv = Array.from({ length: b * t * d }, (_, i) => Math.sin(i));
    const pv = Array.from({ length: b * t * d }, (_, i) => Math.cos(i * 0.7));
    const z = tf.tensor3d(zv, [b, t, d]);
    const p = tf.tensor3d(pv, [b, t, d]);
    const logits = futureLogits(p, z, k, { negatives: m }, new Rng(9)).arraySync();
    const { negatives } = sampleDistractors(b, t, k, { negatives: m }, new Rng(9)); // same draws
    const dot = (pi: number, zi: number) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += pv[pi * d + c]! * zv[zi * d + c]!;
      return s;
    };
    let q = 0;
    for (let bi = 0; bi < b; bi++) {
      for (let ti = 0; ti < t - k; ti++, q++) {
        const row = bi * t + ti;
        expect(logits[q]![0]).toBeCloseTo(dot(row, row + k), 5);
        for (let j = 0; j < m; j++) expect(logits[q]![1 + j]).toBeCloseTo(dot(row, negatives[q * m + j]!), 5);
      }
    }
    // cosine / temperature form is bounded by 1/T
    const cos = futureLogits(p, z, k, { negatives: m, cosineTemperature: 0.1 }, new Rng(9));
    expect(Math.max(...cos.dataSync().map(Math.abs))).toBeLessThanOrEqual(10 + 1e-4);
    tf.dispose([z, p, cos]);
  });
});
