import type * as tf from '@tensorflow/tfjs';
import { symmetricEigenvalues } from '../linalg/symmetric-eigenvalues.js';

/**
 * Singular values of `z` `[n, d]` (descending), from the eigenvalues of the smaller Gram
 * matrix (z zᵀ or zᵀ z) computed in float64.
 */
export function singularValues(values: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const m = Math.min(n, d);
  const gram = new Float64Array(m * m);
  if (n <= d) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += values[i * d + k]! * values[j * d + k]!;
        gram[i * m + j] = s;
        gram[j * m + i] = s;
      }
    }
  } else {
    for (let r = 0; r < n; r++) {
      const off = r * d;
      for (let i = 0; i < d; i++) {
        const zi = values[off + i]!;
        if (zi === 0) continue;
        for (let j = 0; j <= i; j++) gram[i * m + j] += zi * values[off + j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) gram[j * m + i] = gram[i * m + j]!;
  }
  const eig = symmetricEigenvalues(gram, m);
  return Float64Array.from(eig, (x) => Math.sqrt(Math.max(x, 0))).reverse();
}

/**
 * Effective rank of embeddings (RankMe, Garrido et al. 2023; Roy & Vetterli 2007):
 * exp(entropy of p), p_k = σ_k / Σσ + 1e-12, from the singular values σ of `z` `[n, d]`.
 * 1 for fully collapsed embeddings, min(n, d) for a flat spectrum. Reads `z` to the CPU;
 * does not dispose it.
 */
export function effectiveRank(z: tf.Tensor2D): number {
  const [n, d] = z.shape;
  return effectiveRankOf(singularValues(z.dataSync() as Float32Array, n, d));
}

/** RankMe's effective rank from given singular values. */
export function effectiveRankOf(sigma: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < sigma.length; i++) total += sigma[i]!;
  if (total === 0) return 1;
  let h = 0;
  for (let i = 0; i < sigma.length; i++) {
    const p = sigma[i]! / total + 1e-12;
    h -= p * Math.log(p);
  }
  return Math.exp(h);
}
