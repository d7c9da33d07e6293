import { Rng } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { sampleToken, samplingDistribution } from './sample-token.js';

const logits = [Math.log(0.5), Math.log(0.25), Math.log(0.15), Math.log(0.1)];

describe('next-token choice', () => {
  it('greedy takes the argmax', () => {
    expect(sampleToken([0.1, 3, -2, 2.9], new Rng(0))).toBe(1);
  });

  it('temperature 1 keeps the softmax; top-k and top-p renormalise the kept set', () => {
    const p = samplingDistribution(logits, { temperature: 1 });
    expect([...p].map((x) => +x.toFixed(6))).toEqual([0.5, 0.25, 0.15, 0.1]);
    const k2 = samplingDistribution(logits, { temperature: 1, topK: 2 });
    expect([...k2].map((x) => +x.toFixed(6))).toEqual([0.666667, 0.333333, 0, 0]);
    // Nucleus 0.8: 0.5 + 0.25 = 0.75 < 0.8, so the third token joins; mass 0.9.
    const p8 = samplingDistribution(logits, { temperature: 1, topP: 0.8 });
    expect([...p8].map((x) => +x.toFixed(6))).toEqual([0.555556, 0.277778, 0.166667, 0]);
    // Temperature 0.5 squares the odds: 0.25, 0.0625, 0.0225, 0.01 normalised.
    const t = samplingDistribution(logits, { temperature: 0.5 });
    const z = 0.25 + 0.0625 + 0.0225 + 0.01;
    expect(t[0]).toBeCloseTo(0.25 / z, 9);
    expect(t[3]).toBeCloseTo(0.01 / z, 9);
  });

  it('sampling frequencies follow the filtered distribution', () => {
    const rng = new Rng(5);
    const counts = [0, 0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, rng, { temperature: 1, topK: 3 })]!++;
    expect(counts[3]).toBe(0);
    expect(counts[0]! / n).toBeCloseTo(0.5 / 0.9, 1);
    expect(counts[2]! / n).toBeCloseTo(0.15 / 0.9, 1);
  });
});
