/**
 * Linear probe from abstract states to the agent's true position: ordinary least squares of
 * `(x, y)` on `[state, 1]`, scored by R^2 (1 - residual / total sum of squares) per coordinate.
 */
import { ShapeError } from '@autodidact/core';

/** Result of {@link positionProbe}. */
export interface PositionProbeResult {
  /** R^2 of x and of y. */
  r2: [number, number];
  /** Mean of the two. */
  meanR2: number;
}

/** Solves the small symmetric system `A w = b` by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / piv;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/**
 * Least-squares R^2 of `positions` (`[n, 2]` as pairs) from `states` (`n * dim` row-major).
 * A tiny ridge (1e-9) keeps a degenerate (collapsed) state solvable; its R^2 is then ~0.
 */
export function positionProbe(
  states: ArrayLike<number>,
  dim: number,
  positions: readonly (readonly [number, number])[],
): PositionProbeResult {
  const n = positions.length;
  if (states.length !== n * dim)
    throw new ShapeError(`positionProbe: ${states.length} state values, expected ${n} x ${dim}`);
  const d = dim + 1;
  const xtx = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const r2: number[] = [];
  const feats = (i: number) => [...Array.from({ length: dim }, (_, j) => states[i * dim + j]!), 1];
  for (let i = 0; i < n; i++) {
    const f = feats(i);
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) xtx[p]![q]! += f[p]! * f[q]!;
  }
  for (let p = 0; p < d; p++) xtx[p]![p]! += 1e-9;
  for (const c of [0, 1]) {
    const xty = new Array<number>(d).fill(0);
    for (let i = 0; i < n; i++) {
      const f = feats(i);
      for (let p = 0; p < d; p++) xty[p]! += f[p]! * positions[i]![c]!;
    }
    const w = solve(xtx, xty);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += positions[i]![c]!;
    mean /= n;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      const f = feats(i);
      const pred = f.reduce((s, v, k) => s + v * w[k]!, 0);
      ssRes += (positions[i]![c]! - pred) ** 2;
      ssTot += (positions[i]![c]! - mean) ** 2;
    }
    r2.push(ssTot > 0 ? 1 - ssRes / ssTot : 0);
  }
  return { r2: [r2[0]!, r2[1]!], meanR2: (r2[0]! + r2[1]!) / 2 };
}
