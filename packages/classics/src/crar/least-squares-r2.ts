/**
 * Linear probe by ordinary least squares: fits `targets ~ [features, 1] W` through the normal
 * equations (small feature counts only: abstract states have 2-3 dimensions) and returns the
 * coefficient of determination R^2 of each target column, and their mean.
 */
import { ShapeError } from '@autodidact/core';

/** Solves `A x = b` (A small, symmetric positive semi-definite) by Gauss-Jordan elimination with a ridge of 1e-9. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row.map((v, j) => v + (i === j ? 1e-9 : 0)), b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/**
 * R^2 of a least-squares linear fit (with intercept) from `features` to each column of `targets`.
 * @param features `[n][d]` rows
 * @param targets `[n][k]` rows
 * @returns per-column R^2 and their mean (in-sample)
 * @throws ShapeError for mismatched or empty rows
 */
export function leastSquaresR2(features: number[][], targets: number[][]): { perTarget: number[]; mean: number } {
  const n = features.length;
  if (n === 0 || targets.length !== n) {
    throw new ShapeError(
      `leastSquaresR2: expected as many target rows as feature rows (> 0), got ${targets.length} and ${n}`,
    );
  }
  const x = features.map((row) => [...row, 1]);
  const d = x[0]!.length;
  const xtx = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => x.reduce((s, row) => s + row[i]! * row[j]!, 0)),
  );
  const k = targets[0]!.length;
  const perTarget: number[] = [];
  for (let t = 0; t < k; t++) {
    const y = targets.map((row) => row[t]!);
    const xty = Array.from({ length: d }, (_, i) => x.reduce((s, row, r) => s + row[i]! * y[r]!, 0));
    const w = solve(xtx, xty);
    const mean = y.reduce((s, v) => s + v, 0) / n;
    let ssRes = 0;
    let ssTot = 0;
    x.forEach((row, r) => {
      const pred = row.reduce((s, v, i) => s + v * w[i]!, 0);
      ssRes += (y[r]! - pred) ** 2;
      ssTot += (y[r]! - mean) ** 2;
    });
    perTarget.push(ssTot > 0 ? 1 - ssRes / ssTot : 0);
  }
  return { perTarget, mean: perTarget.reduce((s, v) => s + v, 0) / k };
}
