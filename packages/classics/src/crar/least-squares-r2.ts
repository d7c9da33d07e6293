/**
 * Linear probe by ordinary least squares: fits `targets ~ [features, 1] W` through the normal
 * equations (small feature counts only: abstract states have 2-3 dimensions) and returns the
 * coefficient of determination R^2 of each target column, and their mean: in-sample
 * ({@link leastSquaresR2}) or on rows the fit did not see ({@link leastSquaresHeldOutR2}).
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

function checkRows(features: number[][], targets: number[][], what: string): void {
  if (features.length === 0 || targets.length !== features.length) {
    throw new ShapeError(
      `${what}: expected as many target rows as feature rows (> 0), got ${targets.length} and ${features.length}`,
    );
  }
}

/** Least-squares weights (intercept last) of each target column: `[k][d + 1]`. */
function fit(features: number[][], targets: number[][]): number[][] {
  const x = features.map((row) => [...row, 1]);
  const d = x[0]!.length;
  const xtx = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => x.reduce((s, row) => s + row[i]! * row[j]!, 0)),
  );
  return Array.from({ length: targets[0]!.length }, (_, t) =>
    solve(
      xtx,
      Array.from({ length: d }, (_, i) => x.reduce((s, row, r) => s + row[i]! * targets[r]![t]!, 0)),
    ),
  );
}

/** R^2 of each target column of `targets` predicted from `features` by `weights` (0 for a constant column). */
function score(weights: number[][], features: number[][], targets: number[][]): { perTarget: number[]; mean: number } {
  const perTarget = weights.map((w, t) => {
    const y = targets.map((row) => row[t]!);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    let ssRes = 0;
    let ssTot = 0;
    features.forEach((row, r) => {
      const pred = row.reduce((s, v, i) => s + v * w[i]!, 0) + w[row.length]!;
      ssRes += (y[r]! - pred) ** 2;
      ssTot += (y[r]! - mean) ** 2;
    });
    return ssTot > 0 ? 1 - ssRes / ssTot : 0;
  });
  return { perTarget, mean: perTarget.reduce((s, v) => s + v, 0) / perTarget.length };
}

/**
 * R^2 of a least-squares linear fit (with intercept) from `features` to each column of `targets`,
 * scored on the rows it was fitted on.
 * @param features `[n][d]` rows
 * @param targets `[n][k]` rows
 * @returns per-column R^2 and their mean (in-sample)
 * @throws ShapeError for mismatched or empty rows
 */
export function leastSquaresR2(features: number[][], targets: number[][]): { perTarget: number[]; mean: number } {
  checkRows(features, targets, 'leastSquaresR2');
  return score(fit(features, targets), features, targets);
}

/**
 * R^2 of a least-squares linear fit (with intercept) fitted on one set of rows and scored on
 * another: `1 - SS_res / SS_tot` on the scored rows, with their own mean in `SS_tot` (so it is
 * below 0 when the fit predicts them worse than their mean).
 * @param fitSet `features` `[n][d]` and `targets` `[n][k]` the weights are fitted on
 * @param scoreSet `features` `[m][d]` and `targets` `[m][k]` the R^2 is computed on
 * @returns per-column R^2 and their mean (held out)
 * @throws ShapeError for mismatched or empty rows, or feature / target widths that differ between the sets
 */
export function leastSquaresHeldOutR2(
  fitSet: { features: number[][]; targets: number[][] },
  scoreSet: { features: number[][]; targets: number[][] },
): { perTarget: number[]; mean: number } {
  checkRows(fitSet.features, fitSet.targets, 'leastSquaresHeldOutR2 (fit rows)');
  checkRows(scoreSet.features, scoreSet.targets, 'leastSquaresHeldOutR2 (scored rows)');
  const width = (rows: number[][]) => rows[0]!.length;
  if (width(fitSet.features) !== width(scoreSet.features) || width(fitSet.targets) !== width(scoreSet.targets)) {
    throw new ShapeError(
      `leastSquaresHeldOutR2: fit and scored rows differ in width (features ${width(fitSet.features)} vs ${width(scoreSet.features)}, targets ${width(fitSet.targets)} vs ${width(scoreSet.targets)})`,
    );
  }
  return score(fit(fitSet.features, fitSet.targets), scoreSet.features, scoreSet.targets);
}
