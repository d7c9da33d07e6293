import { ConfigError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { randomDotStereograms } from './random-dot.js';

describe('randomDotStereograms', () => {
  it('is seeded and shaped [count, 2 * patchWidth]', () => {
    const s = randomDotStereograms(10, 3, { patchWidth: 6 });
    expect(s.inputSize).toBe(12);
    expect(s.a.length).toBe(120);
    expect(randomDotStereograms(10, 3, { patchWidth: 6 }).b).toEqual(s.b);
    expect(randomDotStereograms(10, 4, { patchWidth: 6 }).b).not.toEqual(s.b);
  });

  it('renders the right eye as the left strip shifted by the disparity (integer shift exact)', () => {
    // maxDisparity 2 with a very long surface period: d ~ constant within a patch.
    const s = randomDotStereograms(200, 1, { patchWidth: 8, maxDisparity: 2, surfacePeriod: 1e9 });
    for (let n = 0; n < s.count; n++) {
      const d = s.disparityA[n]!;
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(2);
      const row = s.a.subarray(n * 16, n * 16 + 16);
      const k = Math.floor(d);
      const f = d - k;
      // right[i] = (1 - f) left[i + k] + f left[i + k + 1] wherever both are in the patch
      for (let i = 0; i + k + 1 < 8; i++) {
        expect(row[8 + i]).toBeCloseTo((1 - f) * row[i + k]! + f * row[i + k + 1]!, 3);
      }
    }
  });

  it('gives neighbouring patches close disparities and independent dots', () => {
    const s = randomDotStereograms(500, 2);
    let maxGap = 0;
    let agree = 0;
    for (let n = 0; n < s.count; n++) {
      maxGap = Math.max(maxGap, Math.abs(s.disparityA[n]! - s.disparityB[n]!));
      agree += s.a[n * s.inputSize] === s.b[n * s.inputSize] ? 1 : 0;
    }
    expect(maxGap).toBeLessThan(3 * Math.sin(Math.PI / 8) + 1e-6); // 8 px of a 64 px period
    expect(agree / s.count).toBeGreaterThan(0.4);
    expect(agree / s.count).toBeLessThan(0.6);
  });

  it('rejects bad options', () => {
    expect(() => randomDotStereograms(5, 0, { patchWidth: 0 })).toThrow(ConfigError);
    expect(() => randomDotStereograms(5, 0, { dotDensity: 1 })).toThrow(ConfigError);
  });
});
