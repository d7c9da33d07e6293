/**
 * Symmetric eigendecomposition by cyclic Jacobi rotations in float64 JS (Golub & Van Loan,
 * Matrix Computations, sec. 8.5): O(n^3) per sweep, ~6-10 sweeps, accurate to rounding, with
 * the same layout and ordering as `torch.linalg.eigh`. tfjs has no SVD or eigensolver on every
 * backend, and the matrices here are small (DirectPred's `[dim, dim]` correlation, a batch's
 * Gram matrix goes to the faster eigenvalues-only solver, symmetric-eigenvalues.ts). Measured on this project's 2-core CI machine
 * (median, with eigenvectors): n = 64: 5 ms, 128: 43 ms, 256: 355 ms, 512: ~4 s
 * (`npx vitest bench --run packages/core/src/linalg/symmetric-eigen.bench.ts`).
 */
import { ShapeError } from '../errors.js';

/** Eigen-decomposition of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order, `[n]`. */
  values: Float64Array;
  /** Eigenvectors as columns, row-major `[n, n]`: `vectors[i * n + k]` is entry i of vector k. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric `n x n` matrix (row-major), by
 * cyclic Jacobi rotations in float64 (Golub & Van Loan, Matrix Computations, sec. 8.5).
 * The input is symmetrised as `(A + A^T) / 2`. Same layout and ordering as
 * `torch.linalg.eigh`; eigenvector signs are arbitrary.
 * @throws ShapeError when `matrix.length !== n * n`.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, maxSweeps = 64): SymmetricEigen {
  return jacobi(matrix, n, maxSweeps);
}

/** Cyclic Jacobi with the eigenvectors accumulated. */
function jacobi(matrix: ArrayLike<number>, n: number, maxSweeps: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new ShapeError(`symmetricEigen: expected ${n}x${n} = ${n * n} values, got ${matrix.length}`);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = (matrix[i * n + j] + matrix[j * n + i]) / 2;
  }
  for (const x of a)
    if (!Number.isFinite(x)) throw new ShapeError('symmetricEigen: matrix has NaN or infinite entries');
  // vt holds the eigenvectors as rows (contiguous updates); transposed at the end.
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;

  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    // Converged once the off-diagonal mass is at rounding level relative to the diagonal.
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        if (apq === 0) continue;
        // After a few sweeps, drop elements too small to change either diagonal entry.
        if (
          sweep > 3 &&
          Math.abs(app) + 1e3 * Math.abs(apq) === Math.abs(app) &&
          Math.abs(aqq) + 1e3 * Math.abs(apq) === Math.abs(aqq)
        ) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        // Rotation angle that zeroes a_pq: t = tan(phi), the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          const nkp = akp - s * (akq + tau * akp);
          const nkq = akq + s * (akp - tau * akq);
          a[k * n + p] = nkp;
          a[p * n + k] = nkp;
          a[k * n + q] = nkq;
          a[q * n + k] = nkq;
        }
        const rp = p * n;
        const rq = q * n;
        for (let k = 0; k < n; k++) {
          const vp = vt[rp + k];
          const vq = vt[rq + k];
          vt[rp + k] = vp - s * (vq + tau * vp);
          vt[rq + k] = vq + s * (vp - tau * vq);
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = a[src * n + src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = vt[src * n + i];
  });
  return { values, vectors };
}
