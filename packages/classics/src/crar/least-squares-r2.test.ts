import { Rng, ShapeError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { leastSquaresHeldOutR2, leastSquaresR2 } from './least-squares-r2.js';

describe('leastSquaresR2', () => {
  const rng = new Rng(4);
  const f = Array.from({ length: 50 }, () => [rng.normal(), rng.normal()]);

  it('is 1 for an exact affine map', () => {
    const r = leastSquaresR2(
      f,
      f.map(([a, b]) => [2 * a! - b! + 3, -a! + 0.5]),
    );
    expect(r.perTarget[0]).toBeCloseTo(1, 6);
    expect(r.perTarget[1]).toBeCloseTo(1, 6);
  });

  it('matches the closed form of simple regression, R^2 = corr^2', () => {
    const y = f.map(([a]) => [a! + rng.normal()]);
    const xs = f.map(([a]) => a!);
    const ys = y.map(([v]) => v!);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const syy = ys.reduce((s, v) => s + (v - my) ** 2, 0);
    expect(
      leastSquaresR2(
        xs.map((x) => [x]),
        y,
      ).mean,
    ).toBeCloseTo((sxy * sxy) / (sxx * syy), 8);
  });

  it('rejects mismatched rows', () => {
    expect(() => leastSquaresR2([[1]], [])).toThrow(ShapeError);
    expect(() => leastSquaresHeldOutR2({ features: [[1]], targets: [[1]] }, { features: [], targets: [] })).toThrow(
      ShapeError,
    );
    expect(() =>
      leastSquaresHeldOutR2({ features: [[1]], targets: [[1]] }, { features: [[1, 2]], targets: [[1]] }),
    ).toThrow(ShapeError);
  });

  describe('held out (fit on some rows, scored on others)', () => {
    const fitRows = f.slice(0, 25);
    const scoreRows = f.slice(25);
    const affine = (rows: number[][]) => rows.map(([a, b]) => [2 * a! - b! + 3]);

    it('is 1 on unseen rows of an exact affine map', () => {
      const r = leastSquaresHeldOutR2(
        { features: fitRows, targets: affine(fitRows) },
        { features: scoreRows, targets: affine(scoreRows) },
      );
      expect(r.mean).toBeCloseTo(1, 6);
    });

    it('equals 1 - SS_res / SS_tot of the fitted line on the scored rows (simple regression by hand)', () => {
      const noisy = (rows: number[][]) => rows.map(([a]) => [a! + rng.normal()]);
      const yFit = noisy(fitRows);
      const yScore = noisy(scoreRows);
      const xs = fitRows.map(([a]) => a!);
      const ys = yFit.map(([v]) => v!);
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      const mx = mean(xs);
      const my = mean(ys);
      const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
      const intercept = my - slope * mx;
      const yt = yScore.map(([v]) => v!);
      const mt = mean(yt);
      const ssRes = scoreRows.reduce((s, [a], i) => s + (yt[i]! - (intercept + slope * a!)) ** 2, 0);
      const ssTot = yt.reduce((s, v) => s + (v - mt) ** 2, 0);
      const r = leastSquaresHeldOutR2(
        { features: fitRows.map(([a]) => [a!]), targets: yFit },
        { features: scoreRows.map(([a]) => [a!]), targets: yScore },
      );
      expect(r.mean).toBeCloseTo(1 - ssRes / ssTot, 8);
    });

    it('falls below 0 where in-sample R^2 is flattered: many features fitted to noise', () => {
      const wide = Array.from({ length: 20 }, () => Array.from({ length: 12 }, () => rng.normal()));
      const noise = wide.map(() => [rng.normal()]);
      const inSample = leastSquaresR2(wide.slice(0, 14), noise.slice(0, 14)).mean;
      const heldOut = leastSquaresHeldOutR2(
        { features: wide.slice(0, 14), targets: noise.slice(0, 14) },
        { features: wide.slice(14), targets: noise.slice(14) },
      ).mean;
      expect(inSample).toBeGreaterThan(0.5);
      expect(heldOut).toBeLessThan(0);
    });
  });
});
