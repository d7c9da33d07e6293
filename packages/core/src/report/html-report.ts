import { writeFileAtomic } from '../checkpoint/write-file-atomic.js';
import { columnOf, METRICS_BASE_COLUMNS, type MetricsRow } from './metrics-row.js';
import type { RunFigures } from './plots.js';

/** File name of the report inside a run folder. */
export const REPORT_FILE = 'report.html';

/** One probe result of the report: accuracy of the trained encoder, and of a random-init one. */
export interface ReportProbe {
  /** e.g. `linear probe`, `kNN (k=20)`. */
  name: string;
  /** Accuracy in [0, 1] of the pretrained encoder. */
  accuracy: number;
  /** Accuracy of the same probe on a randomly initialised encoder (the baseline). */
  randomInitAccuracy?: number;
}

/** Everything an HTML run report shows. */
export interface RunReport {
  /** Heading, e.g. `vision / simclr`. */
  title: string;
  /** When the run ended (ISO 8601). Default: now. */
  date?: string;
  /** The run's configuration as plain data (modality, method and options, trainer options, data, backend). */
  config: Readonly<Record<string, unknown>>;
  /** Headline numbers: steps, final loss, seconds, resumed step, out folder... shown as a table. */
  summary: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Final probe results, when the run was evaluated. */
  probes?: readonly ReportProbe[];
  /** Where the probe data came from (e.g. `1000 labelled training and 10000 test samples`). */
  probeNote?: string;
  /** Warnings of the run (embedding collapse). */
  warnings?: readonly string[];
  /** Metrics rows of the run, summarised per column. */
  rows: readonly MetricsRow[];
  /** Figures to inline. */
  figures: RunFigures;
}

/** `<`, `>`, `&`, `"` and `'` escaped for HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number for people: 4 significant digits, exponent for very small or large values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/** Per-column summary of metrics rows: steps with a value, first, last, min, max and mean. */
export interface ColumnSummary {
  column: string;
  count: number;
  first: number;
  last: number;
  min: number;
  max: number;
  mean: number;
}

/** Summarises every numeric column of the rows except `step` and `epoch` (columns with no finite value are left out). */
export function summarizeMetrics(rows: readonly MetricsRow[]): ColumnSummary[] {
  const sorted = [...rows].sort((a, b) => a.step - b.step);
  const extra = [...new Set(sorted.flatMap((r) => Object.keys(r)))].filter(
    (k) => !(METRICS_BASE_COLUMNS as readonly string[]).includes(k),
  );
  const columns = [...METRICS_BASE_COLUMNS.filter((c) => c !== 'step' && c !== 'epoch'), ...extra];
  const out: ColumnSummary[] = [];
  for (const column of columns) {
    const v = columnOf(sorted, column).filter(Number.isFinite);
    if (v.length === 0) continue;
    out.push({
      column,
      count: v.length,
      first: v[0]!,
      last: v[v.length - 1]!,
      min: Math.min(...v),
      max: Math.max(...v),
      mean: v.reduce((a, b) => a + b, 0) / v.length,
    });
  }
  return out;
}

/** Prefixes the ids (and references to them) of an inline SVG so several SVGs can share one page. */
function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.date{color:#666;margin-top:0}table{border-collapse:collapse;margin:.5rem 0}
th,td{padding:.25rem .7rem;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f6f6f6}.figures{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0;border:1px solid #eee;padding:.5rem}figcaption{color:#555;font-size:.9rem}
pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:.85rem}.warning{color:#a00}`;

/**
 * The run report as one self-contained HTML page (no scripts, no external files): summary,
 * final probe results beside the random-init baseline, the figures inlined as SVG, a
 * per-column summary table of the metrics and the run's configuration as JSON. Machine-
 * readable hooks: tables have ids (`summary`, `probe-results`, `metrics-summary`), figures
 * are `<figure data-figure="<name>">`, numeric cells carry the exact value in `data-value`.
 */
export function renderHtmlReport(report: RunReport): string {
  const date = report.date ?? new Date().toISOString();
  const num = (x: number, text = formatNumber(x)) => `<td data-value="${x}">${escapeHtml(text)}</td>`;
  const parts: string[] = [];
  parts.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(report.title)} — autodidact run report</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(report.title)}</h1><p class="date">autodidact run report, ${escapeHtml(date)}</p>`,
  );

  parts.push('<h2>Summary</h2><table id="summary"><tbody>');
  for (const [k, v] of Object.entries(report.summary)) {
    if (v === undefined) continue;
    const cell = typeof v === 'number' ? num(v) : `<td>${escapeHtml(String(v))}</td>`;
    parts.push(`<tr data-key="${escapeHtml(k)}"><th scope="row">${escapeHtml(k)}</th>${cell}</tr>`);
  }
  parts.push('</tbody></table>');
  if (report.warnings?.length) {
    parts.push('<ul class="warnings">');
    for (const w of report.warnings) parts.push(`<li class="warning">${escapeHtml(w)}</li>`);
    parts.push('</ul>');
  }

  parts.push('<h2>Probe results</h2>');
  if (report.probes?.length) {
    if (report.probeNote) parts.push(`<p>${escapeHtml(report.probeNote)}</p>`);
    parts.push(
      '<table id="probe-results"><thead><tr><th>probe</th><th>pretrained</th><th>random init</th><th>gain</th></tr></thead><tbody>',
    );
    for (const p of report.probes) {
      const base = p.randomInitAccuracy;
      parts.push(
        `<tr data-probe="${escapeHtml(p.name)}"><td>${escapeHtml(p.name)}</td>${num(p.accuracy, pct(p.accuracy))}` +
          (base === undefined
            ? '<td>—</td><td>—</td>'
            : `${num(base, pct(base))}${num(p.accuracy - base, `${((p.accuracy - base) * 100).toFixed(1)} pts`)}`) +
          '</tr>',
      );
    }
    parts.push('</tbody></table>');
  } else {
    parts.push('<p id="no-probes">No probe was run (no labelled evaluation data for this run).</p>');
  }

  const figures: { name: string; title: string; svg: string }[] = report.figures.curves.map((c) => ({ ...c }));
  if (report.figures.embeddingMap) {
    const m = report.figures.embeddingMap;
    figures.push({
      name: 'embedding-map',
      title: `${m.title}${m.labelled ? ', coloured by label' : ' (no labels)'}`,
      svg: m.svg,
    });
  }
  parts.push('<h2>Figures</h2><div class="figures">');
  figures.forEach((f, i) => {
    parts.push(
      `<figure id="figure-${escapeHtml(f.name)}" data-figure="${escapeHtml(f.name)}">${scopeSvgIds(f.svg, `f${i}`)}` +
        `<figcaption>${escapeHtml(f.title)}</figcaption></figure>`,
    );
  });
  parts.push('</div>');
  for (const note of report.figures.notes ?? []) parts.push(`<p class="note warning">${escapeHtml(note)}</p>`);

  parts.push('<h2>Metrics</h2>');
  const summary = summarizeMetrics(report.rows);
  parts.push(
    `<p>${report.rows.length} logged steps; every row is in metrics.csv and metrics.jsonl beside this file.</p>`,
    '<table id="metrics-summary"><thead><tr><th>column</th><th>steps</th><th>first</th><th>last</th><th>min</th><th>max</th><th>mean</th></tr></thead><tbody>',
  );
  for (const s of summary) {
    parts.push(
      `<tr data-column="${escapeHtml(s.column)}"><td>${escapeHtml(s.column)}</td>${num(s.count)}${num(s.first)}${num(s.last)}${num(s.min)}${num(s.max)}${num(s.mean)}</tr>`,
    );
  }
  parts.push('</tbody></table>');

  parts.push(
    '<h2>Configuration</h2>',
    `<pre id="config">${escapeHtml(JSON.stringify(report.config, null, 2))}</pre>`,
    '</body></html>',
    '',
  );
  return parts.join('\n');
}

/** Writes {@link renderHtmlReport}'s page to `path` atomically; returns the path. */
export async function writeHtmlReport(path: string, report: RunReport): Promise<string> {
  await writeFileAtomic(path, renderHtmlReport(report));
  return path;
}
