/**
 * A reproducible `n x n` sample covariance `X X^T / m` of `m` uniform draws in [-0.5, 0.5)
 * per row (row-major, float64), from a small linear congruential generator: the eigensolver's
 * test and bench matrices.
 */
export function randomCovariance(n: number, m: number, seed: number): Float64Array {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  const x = Float64Array.from({ length: n * m }, rand);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += x[i * m + k]! * x[j * m + k]!;
      a[i * n + j] = s / m;
    }
  }
  return a;
}
