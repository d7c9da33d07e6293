import { UMAP } from 'umap-js';
import { NumericalError, ShapeError } from '../errors.js';
import type { Rng } from '../random/rng.js';

/** Options of {@link umap2d}. */
export interface Umap2dOptions {
  /** Random source of the layout (nearest-neighbour descent, initialisation, negative sampling). */
  rng: Rng;
  /** Neighbours of the k-NN graph, clamped to n - 1. Default 15 (UMAP's default). */
  nNeighbors?: number;
  /** Minimum distance of points in the layout. Default 0.1 (UMAP's default). */
  minDist?: number;
  /** Optimisation epochs. Default: umap-js's choice (500 up to 10,000 points, else 200). */
  nEpochs?: number;
}

/**
 * 2-D UMAP layout (McInnes, Healy & Melville 2018) of `n` row vectors of width `dim`, stored
 * row-major in `values` `[n, dim]`; returns `[n, 2]` row-major. Uses the maintained `umap-js`
 * package, seeded through our `Rng`, so the same seed gives the same map. Needs n >= 3 and
 * finite values (a NaN would send umap-js's random-projection tree into endless recursion).
 */
export function umap2d(values: ArrayLike<number>, n: number, dim: number, options: Umap2dOptions): Float64Array {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 3 || dim < 1 || values.length !== n * dim) {
    throw new ShapeError(
      `umap2d expects at least 3 rows [n, dim] (${n * dim} values), got n=${n}, dim=${dim} and ${values.length} values`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new NumericalError(
        `umap2d: embedding value ${i} (row ${Math.floor(i / dim)}) is ${values[i]}; a 2-D map needs finite embeddings`,
        { tensorName: 'embeddings' },
      );
    }
  }
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: dim }, (_, j) => values[i * dim + j]!));
  const { rng } = options;
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(options.nNeighbors ?? 15, n - 1)),
    minDist: options.minDist ?? 0.1,
    ...(options.nEpochs !== undefined ? { nEpochs: options.nEpochs } : {}),
    random: () => rng.next(),
  });
  const embedding = umap.fit(rows);
  const out = new Float64Array(n * 2);
  embedding.forEach((p, i) => {
    out[2 * i] = p[0]!;
    out[2 * i + 1] = p[1]!;
  });
  return out;
}
