import { ShapeError } from '../errors.js';

/**
 * Eigenvalues of a real symmetric matrix, ascending: Householder reduction to tridiagonal
 * form, then the QL algorithm with implicit Wilkinson shifts (Golub & Van Loan, §8.3).
 * Float64 throughout. The collapse diagnostics need only the eigenvalues of a batch's Gram
 * matrix, several times a run: this is 6-10x faster there than the Jacobi rotations of
 * `symmetricEigen` (symmetric-eigen.ts), which DirectPred uses for its eigenvectors.
 *
 * @throws ShapeError when `matrix.length !== n * n` or an entry is NaN or infinite.
 * @param matrix row-major `[n, n]`, read only (only the lower triangle is used)
 */
export function symmetricEigenvalues(matrix: ArrayLike<number>, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new ShapeError(`symmetricEigenvalues: expected ${n}x${n} = ${n * n} values, got ${matrix.length}`);
  }
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) throw new ShapeError('symmetricEigenvalues: matrix has NaN or infinite entries');
  }
  const a: Float64Array[] = [];
  for (let i = 0; i < n; i++) a.push(Float64Array.from({ length: n }, (_, j) => matrix[i * n + j]!));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(a, n, d, e);
  tridiagonalQl(d, e, n);
  return d.sort();
}

/** Householder reduction of `a` (destroyed) to a tridiagonal matrix: diagonal `d`, sub-diagonal `e[1..n-1]`. */
function tridiagonalize(a: Float64Array[], n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const ai = a[i]!;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(ai[k]!);
      if (scale === 0) {
        e[i] = ai[l]!;
        continue;
      }
      let h = 0;
      for (let k = 0; k <= l; k++) {
        ai[k] = ai[k]! / scale;
        h += ai[k]! * ai[k]!;
      }
      const f0 = ai[l]!;
      const g0 = f0 >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g0;
      h -= f0 * g0;
      ai[l] = f0 - g0;
      // p = A u / h, stored in e[0..l]; K = u·p / 2h
      let f = 0;
      for (let j = 0; j <= l; j++) {
        let g = 0;
        for (let k = 0; k <= j; k++) g += a[j]![k]! * ai[k]!;
        for (let k = j + 1; k <= l; k++) g += a[k]![j]! * ai[k]!;
        e[j] = g / h;
        f += e[j]! * ai[j]!;
      }
      const hh = f / (h + h);
      // A' = A - q u^T - u q^T with q = p - K u (lower triangle only)
      for (let j = 0; j <= l; j++) {
        const fj = ai[j]!;
        const gj = e[j]! - hh * fj;
        e[j] = gj;
        const aj = a[j]!;
        for (let k = 0; k <= j; k++) aj[k] = aj[k]! - (fj * e[k]! + gj * ai[k]!);
      }
    } else {
      e[i] = ai[l]!;
    }
  }
  e[0] = 0;
  for (let i = 0; i < n; i++) d[i] = a[i]![i]!;
}

/** Eigenvalues of the symmetric tridiagonal (d, e) into `d`, by implicit QL. */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('symmetricEigenvalues: QL did not converge');
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        let underflow = false;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] = d[i + 1]! - p;
            e[m] = 0;
            underflow = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (underflow) continue;
        d[l] = d[l]! - p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}
