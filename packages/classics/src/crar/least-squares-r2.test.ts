import { Rng, ShapeError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { leastSquaresR2 } from './least-squares-r2.js';

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
  });
});
