import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { effectiveRankOf, singularValues } from './effective-rank.js';

/** Collapse indicators of a batch of embeddings. */
export interface CollapseDiagnostics {
  /** Samples and embedding width. */
  n: number;
  dim: number;
  /** Mean over dimensions of the std (unbiased) of the L2-normalised embeddings. */
  meanStd: number;
  /** Smallest per-dimension std of the L2-normalised embeddings. */
  minStd: number;
  /**
   * `meanStd` as a ratio to 1/sqrt(dim), the std of a uniform distribution on the sphere
   * (SimSiam, Chen & He 2021, §4): about 1 when healthy, 0 when collapsed to a point.
   */
  stdRatio: number;
  /** `minStd` · sqrt(dim): near 0 when some dimensions are dead. */
  minStdRatio: number;
  /** RankMe effective rank of the raw embeddings, in [1, min(n, dim)]. */
  effectiveRank: number;
  /** `effectiveRank / min(n, dim)`, in (0, 1]. */
  effectiveRankRatio: number;
}

/**
 * Collapse diagnostics of embeddings `z` `[n, dim]` (n ≥ 2): per-dimension std of the
 * L2-normalised rows, as raw values and as a ratio to 1/sqrt(dim) (SimSiam's analysis), and
 * the effective rank (RankMe, Garrido et al. 2023) of the raw embeddings. Computed in
 * float64 on the CPU; does not dispose `z`.
 */
export function collapseDiagnostics(z: tf.Tensor2D): CollapseDiagnostics {
  if (z.rank !== 2 || z.shape[0] < 2) {
    throw new ShapeError(`collapseDiagnostics expects embeddings [n >= 2, dim], got [${z.shape}]`);
  }
  const [n, dim] = z.shape;
  const values = z.dataSync() as Float32Array;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      row[j] = values[i * dim + j]!;
      norm += row[j]! * row[j]!;
    }
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let j = 0; j < dim; j++) {
      const v = row[j]! * inv;
      mean[j] = mean[j]! + v;
      sq[j] = sq[j]! + v * v;
    }
  }
  let sumStd = 0;
  let minStd = Number.POSITIVE_INFINITY;
  for (let j = 0; j < dim; j++) {
    const m = mean[j]! / n;
    const variance = Math.max(0, (sq[j]! - n * m * m) / (n - 1));
    const s = Math.sqrt(variance);
    sumStd += s;
    minStd = Math.min(minStd, s);
  }
  const meanStd = sumStd / dim;
  const effectiveRank = effectiveRankOf(singularValues(values, n, dim));
  return {
    n,
    dim,
    meanStd,
    minStd,
    stdRatio: meanStd * Math.sqrt(dim),
    minStdRatio: minStd * Math.sqrt(dim),
    effectiveRank,
    effectiveRankRatio: effectiveRank / Math.min(n, dim),
  };
}
