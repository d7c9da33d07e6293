import { ShapeError } from '../errors.js';
import { renderVegaLite, type VegaLiteSpec } from './render-vega-lite.js';

/** Input of {@link embeddingMapSvg}. */
export interface EmbeddingMapInput {
  /** 2-D coordinates, row-major `[n, 2]` (e.g. from {@link umap2d}). */
  points: ArrayLike<number>;
  /** Class index of each point; the map is coloured by it when given, single-coloured otherwise. */
  labels?: ArrayLike<number>;
  /** Names of the class indices, for the legend. */
  classNames?: readonly string[];
  /** Chart title. Default `Embeddings (UMAP)`. */
  title?: string;
  /** Plot size in pixels. Default 480 x 480. */
  width?: number;
  height?: number;
}

/**
 * A scatter plot SVG of 2-D embedding coordinates, one filled circle per sample, coloured by
 * label when labels are given (legend up to 20 classes; more are coloured without a legend).
 * Rendered with Vega-Lite, headless.
 */
export async function embeddingMapSvg(input: EmbeddingMapInput): Promise<string> {
  const n = Math.floor(input.points.length / 2);
  if (input.points.length !== 2 * n)
    throw new ShapeError(`embeddingMapSvg expects [n, 2] points, got ${input.points.length} values`);
  if (input.labels && input.labels.length !== n) {
    throw new ShapeError(`embeddingMapSvg: ${input.labels.length} labels for ${n} points`);
  }
  const name = (c: number) => input.classNames?.[c] ?? String(c);
  const values = Array.from({ length: n }, (_, i) => ({
    x: input.points[2 * i]!,
    y: input.points[2 * i + 1]!,
    ...(input.labels ? { label: name(input.labels[i]!) } : {}),
  }));
  const classes = input.labels ? [...new Set(Array.from(input.labels))].sort((a, b) => a - b).map(name) : [];
  const axis = { title: null, labels: false, ticks: false, grid: false } as const;
  const spec = {
    width: input.width ?? 480,
    height: input.height ?? 480,
    title: input.title ?? 'Embeddings (UMAP)',
    config: { font: 'sans-serif', background: 'white' },
    data: { values },
    mark: { type: 'circle', size: 14, opacity: 0.75, ...(input.labels ? {} : { color: '#1f77b4' }) },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', axis, scale: { zero: false } },
      ...(input.labels
        ? {
            color: {
              field: 'label',
              type: 'nominal',
              title: 'label',
              scale: { domain: classes, scheme: classes.length <= 10 ? 'category10' : 'tableau20' },
              ...(classes.length > 20 ? { legend: null } : {}),
            },
          }
        : {}),
    },
  };
  return renderVegaLite(spec as VegaLiteSpec);
}
