import { columnOf, type MetricsRow } from './metrics-row.js';
import { renderVegaLite, type VegaLiteSpec } from './render-vega-lite.js';

/** One rendered training-curve figure. */
export interface TrainingCurve {
  /** File stem: `loss`, `lr`, `metrics`, `monitor` or `collapse`. */
  name: 'loss' | 'lr' | 'metrics' | 'monitor' | 'collapse';
  /** Human title (also the SVG's chart title). */
  title: string;
  /** The figure as an SVG document. */
  svg: string;
}

/** Options of {@link trainingCurves}. */
export interface TrainingCurvesOptions {
  /** At most this many points per line (long runs are thinned evenly, keeping the last step). Default 2000. */
  maxPoints?: number;
  /** Smoothing of the loss curve drawn over the raw one (debiased EMA, as the progress line). Default 0.9. */
  smoothing?: number;
  /** Width and height of each panel in pixels. Default 480 x 220. */
  width?: number;
  height?: number;
}

/** Every k-th row so that at most `max` remain, always keeping the last. */
export function thinRows<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  const stride = Math.ceil(rows.length / max);
  const out = rows.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== rows[rows.length - 1]) out.push(rows[rows.length - 1]!);
  return out;
}

/** Debiased exponential moving average (NaN entries are skipped and keep the previous value). */
export function smoothEma(values: readonly number[], beta: number): number[] {
  let ema = 0;
  let n = 0;
  return values.map((v) => {
    if (Number.isFinite(v)) {
      ema = beta * ema + (1 - beta) * v;
      n++;
    }
    return n === 0 ? Number.NaN : ema / (1 - beta ** n);
  });
}

const finite = (v: number) => Number.isFinite(v);

/**
 * Training-curve SVGs from metrics rows (see {@link MetricsLog}): the loss (raw and smoothed),
 * the learning rate, the method's own metrics (one panel each, when it reports any), the
 * online monitor's kNN accuracy on held-out labelled data (when the run had a monitor) and the
 * collapse diagnostics (std of the normalised embeddings as a ratio to 1/sqrt(dim), and the
 * effective rank; only when the run computed them). Rendered with Vega-Lite, headless.
 */
export async function trainingCurves(
  rows: readonly MetricsRow[],
  options: TrainingCurvesOptions = {},
): Promise<TrainingCurve[]> {
  const width = options.width ?? 480;
  const height = options.height ?? 220;
  const maxPoints = options.maxPoints ?? 2000;
  const all = [...rows].sort((a, b) => a.step - b.step);
  const steps = columnOf(all, 'step');
  const smoothed = smoothEma(columnOf(all, 'loss'), options.smoothing ?? 0.9);
  const withSmooth: MetricsRow[] = all.map((r, i) => ({ ...r, loss_smoothed: smoothed[i]! }));
  const thin = thinRows(withSmooth, maxPoints);
  const x = { field: 'step', type: 'quantitative', title: 'step', scale: { domainMin: 0 } } as const;
  const base = { width, height, config: { font: 'sans-serif', background: 'white' } } as const;
  const out: TrainingCurve[] = [];
  if (steps.length === 0) return out;

  const lossData = thin.flatMap((r) => [
    ...(finite(r.loss ?? Number.NaN) ? [{ step: r.step, value: r.loss, series: 'loss' }] : []),
    ...(finite(r.loss_smoothed ?? Number.NaN) ? [{ step: r.step, value: r.loss_smoothed, series: 'smoothed' }] : []),
  ]);
  out.push({
    name: 'loss',
    title: 'Training loss',
    svg: await renderVegaLite({
      ...base,
      title: 'Training loss',
      data: { values: lossData },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: ['loss', 'smoothed'], range: ['#9ecae9', '#1f77b4'] },
        },
      },
    } as VegaLiteSpec),
  });

  out.push({
    name: 'lr',
    title: 'Learning rate',
    svg: await renderVegaLite({
      ...base,
      title: 'Learning rate',
      data: { values: thin.filter((r) => finite(r.lr ?? Number.NaN)).map((r) => ({ step: r.step, lr: r.lr })) },
      mark: { type: 'line', strokeWidth: 1.5, color: '#ff7f0e' },
      encoding: { x, y: { field: 'lr', type: 'quantitative', title: 'learning rate', axis: { format: '.1e' } } },
    } as VegaLiteSpec),
  });

  const metricNames = [...new Set(all.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('metric_'))))];
  if (metricNames.length > 0) {
    out.push({
      name: 'metrics',
      title: 'Method metrics',
      svg: await renderVegaLite({
        config: base.config,
        title: 'Method metrics',
        vconcat: metricNames.map((m) => ({
          width,
          height: Math.round(height * 0.7),
          data: { values: thin.filter((r) => finite(r[m] ?? Number.NaN)).map((r) => ({ step: r.step, value: r[m] })) },
          mark: { type: 'line', strokeWidth: 1.5, color: '#2ca02c' },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: m.slice('metric_'.length), scale: { zero: false } },
          },
        })),
      } as VegaLiteSpec),
    });
  }

  const monitored = all.filter((r) => finite(r.monitor_knn_accuracy ?? Number.NaN));
  if (monitored.length > 0) {
    const points = thinRows(monitored, maxPoints).flatMap((r) => [
      { step: r.step, value: r.monitor_knn_accuracy, series: 'kNN accuracy' },
      ...(finite(r.monitor_best_knn_accuracy ?? Number.NaN)
        ? [{ step: r.step, value: r.monitor_best_knn_accuracy, series: 'best so far' }]
        : []),
    ]);
    out.push({
      name: 'monitor',
      title: 'Online kNN accuracy (monitor)',
      svg: await renderVegaLite({
        ...base,
        title: 'Online kNN accuracy (monitor)',
        data: { values: points },
        mark: { type: 'line', point: true, strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'kNN accuracy', scale: { domain: [0, 1] } },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['kNN accuracy', 'best so far'], range: ['#17becf', '#bcbd22'] },
          },
          // the running best dashed, so the scores stay visible where it covers them
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['kNN accuracy', 'best so far'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
          },
        },
      } as VegaLiteSpec),
    });
  }

  const diag = thinRows(
    all.filter((r) => finite(r.diag_std_ratio ?? Number.NaN)),
    maxPoints,
  );
  if (diag.length > 0) {
    const panel = (field: string, title: string, color: string) => ({
      width,
      height: Math.round(height * 0.7),
      data: { values: diag.map((r) => ({ step: r.step, value: r[field] })) },
      mark: { type: 'line', point: true, strokeWidth: 1.5, color },
      encoding: { x, y: { field: 'value', type: 'quantitative', title, scale: { zero: true } } },
    });
    out.push({
      name: 'collapse',
      title: 'Collapse diagnostics',
      svg: await renderVegaLite({
        config: base.config,
        title: 'Collapse diagnostics',
        vconcat: [
          panel('diag_std_ratio', 'embedding std × √d', '#d62728'),
          panel('diag_effective_rank', 'effective rank', '#9467bd'),
        ],
      } as VegaLiteSpec),
    });
  }
  return out;
}
