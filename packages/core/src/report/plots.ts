import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../checkpoint/write-file-atomic.js';
import type { Rng } from '../random/rng.js';
import { embeddingMapSvg } from './embedding-map.js';
import type { MetricsRow } from './metrics-row.js';
import { type TrainingCurve, trainingCurves } from './training-curves.js';
import { umap2d } from './umap-2d.js';

/** Embeddings to map in 2-D: row-major `[n, dim]` values and, optionally, their labels. */
export interface EmbeddingSample {
  values: ArrayLike<number>; // [n, dim]
  n: number;
  dim: number;
  labels?: ArrayLike<number>;
  classNames?: readonly string[];
  /** Where the samples come from (shown in the map's title), e.g. `probe test set`. */
  source?: string;
}

/** All figures of a run, as SVG strings (what {@link writePlots} writes and the HTML report inlines). */
export interface RunFigures {
  curves: TrainingCurve[];
  /** The UMAP map of the embeddings, when embeddings were given (and finite). */
  embeddingMap?: { svg: string; n: number; labelled: boolean; title: string };
  /** Why a figure is missing (e.g. non-finite embeddings), for the report and the log. */
  notes?: string[];
}

/** Options of {@link renderRunFigures}. */
export interface RunFiguresOptions {
  /** Metrics rows of the run (from {@link MetricsLog} or {@link readMetricsLog}). */
  rows: readonly MetricsRow[];
  /** Embeddings for the 2-D map (maps fewer than 3 samples are skipped). */
  embeddings?: EmbeddingSample;
  /** Seeds the UMAP layout. */
  rng: Rng;
}

/**
 * Renders the training curves and, when embeddings are given, their UMAP map. Embeddings with
 * NaN or infinite values (a diverged encoder) get no map but a note saying why.
 */
export async function renderRunFigures(options: RunFiguresOptions): Promise<RunFigures> {
  const curves = await trainingCurves(options.rows);
  const e = options.embeddings;
  if (!e) return { curves };
  if (e.n < 3) return { curves, notes: [`no embedding map: ${e.n} samples (at least 3 needed)`] };
  let bad = 0;
  for (let i = 0; i < e.values.length; i++) if (!Number.isFinite(e.values[i]!)) bad++;
  if (bad > 0) {
    return {
      curves,
      notes: [`no embedding map: ${bad} of the ${e.values.length} embedding values are NaN or infinite`],
    };
  }
  const points = umap2d(e.values, e.n, e.dim, { rng: options.rng });
  const title = `Embeddings of ${e.n} samples${e.source ? ` (${e.source})` : ''}, UMAP`;
  const svg = await embeddingMapSvg({ points, labels: e.labels, classNames: e.classNames, title });
  return { curves, embeddingMap: { svg, n: e.n, labelled: e.labels !== undefined, title } };
}

/**
 * Writes a run's figures into `dir` as SVG files: `loss.svg`, `lr.svg`, `metrics.svg` (method
 * metrics, if any), `monitor.svg` (with a kNN monitor), `collapse.svg` (if diagnostics were computed) and `embedding-map.svg`
 * (if embeddings were given). Returns the paths written, by figure name.
 */
export async function writePlots(dir: string, figures: RunFigures): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const written: Record<string, string> = {};
  const files: [string, string][] = figures.curves.map((c) => [c.name, c.svg]);
  if (figures.embeddingMap) files.push(['embedding-map', figures.embeddingMap.svg]);
  for (const [name, svg] of files) {
    const path = join(dir, `${name}.svg`);
    await writeFileAtomic(path, svg);
    written[name] = path;
  }
  return written;
}
