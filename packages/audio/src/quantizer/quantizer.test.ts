import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { spanMask } from '../methods/span-mask.js';
import { codebookDiversity } from '../objectives/codebook-diversity.js';
import { sampleMaskedDistractors } from '../objectives/masked-logits.js';
import { loadAudioFixture } from '../test-support/fixtures.js';
import { GumbelProductQuantizer } from './gumbel-product-quantizer.js';

describe('wav2vec 2.0 pieces', () => {
  it('codebookDiversity matches the torch reference of eq. 4', () => {
    const f = loadAudioFixture<{ meanProbs: number[][]; diversity: number }>('diversity');
    const p = tf.tensor2d(f.meanProbs);
    const d = codebookDiversity(p);
    expect(d.dataSync()[0]).toBeCloseTo(f.diversity, 5);
    // uniform use of every entry is the minimum: -log V / V
    const u = tf.fill([2, 6], 1 / 6) as tf.Tensor2D;
    const du = codebookDiversity(u);
    expect(du.dataSync()[0]).toBeCloseTo(-Math.log(6) / 6, 5);
    expect(du.dataSync()[0]!).toBeLessThan(d.dataSync()[0]!);
    tf.dispose([p, d, u, du]);
  });

  it('the quantizer emits one codebook entry per group, passes gradients straight through, and reports mean probabilities', () => {
    const qz = new GumbelProductQuantizer({ inputDim: 8, groups: 2, entries: 5, codeDim: 6 }, new Rng(0));
    const z = tf.randomNormal([3, 4, 8], 0, 1, 'float32', 1) as tf.Tensor3D;
    const { q, meanProbs } = qz.apply(z, true, 2, new Rng(1));
    expect(q.shape).toEqual([3, 4, 6]);
    expect(meanProbs.shape).toEqual([2, 5]);
    const sums = meanProbs.sum(1).arraySync() as number[];
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    const codebook = qz.trainableVariables().get('quantizer/codebook')!.arraySync() as number[][][];
    const rows = q.reshape([12, 6]).arraySync() as number[][];
    for (const r of rows) {
      for (let g = 0; g < 2; g++) {
        const part = r.slice(3 * g, 3 * g + 3);
        const match = codebook[g]!.some((e) => e.every((v, i) => Math.abs(v - part[i]!) < 1e-5));
        expect(match).toBe(true);
      }
    }
    // Straight-through: the projection gets a gradient through the hard choice.
    const vars = [...qz.trainableVariables().values()];
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(qz.apply(z, true, 2, new Rng(1)).q)) as tf.Scalar, vars);
    expect(
      Math.abs(tf.sum(tf.abs(grads['quantizer/proj/kernel'] ?? Object.values(grads)[0]!)).dataSync()[0]!),
    ).toBeGreaterThan(0);
    tf.dispose([z, q, meanProbs, ...Object.values(grads)]);
    qz.dispose();
  });

  it('span masks cover about the published half of the frames and distractors come from masked frames of the clip', () => {
    const rng = new Rng(3);
    const b = 200;
    const t = 100;
    const mask = spanMask(b, t, 0.065, 10, rng);
    const frac = mask.reduce((a, v) => a + v, 0) / (b * t);
    // expected 1 - (1 - 0.065)^10 ~ 0.49 away from the edges; a little less with edge effects
    expect(frac).toBeGreaterThan(0.38);
    expect(frac).toBeLessThan(0.55);
    const small = spanMask(2, 5, 0.065, 10, rng);
    expect(small.reduce((a, v) => a + v, 0)).toBe(10); // spans clipped to the clip
    const m = spanMask(4, 30, 0.05, 3, rng);
    const { queries, distractors } = sampleMaskedDistractors(m, 4, 30, 7, rng);
    expect(queries.length).toBe(m.reduce((a, v) => a + v, 0));
    for (let i = 0; i < queries.length; i++) {
      for (let j = 0; j < 7; j++) {
        const d = distractors[i * 7 + j]!;
        expect(m[d]).toBe(1);
        expect(d).not.toBe(queries[i]);
        expect(Math.floor(d / 30)).toBe(Math.floor(queries[i]! / 30));
      }
    }
  });
});
