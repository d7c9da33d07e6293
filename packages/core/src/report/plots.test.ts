import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { DigitsClassifier } from '../../../../tools/fixtures/optim/digits-classifier.js';
import { NumericalError, ShapeError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { loggedRun } from '../test-support/logged-run.js';
import { tempDir } from '../test-support/temp-dirs.js';
import { embeddingMapSvg } from './embedding-map.js';
import type { MetricsRow } from './metrics-row.js';
import { renderRunFigures, writePlots } from './plots.js';
import { renderHtmlReport } from './html-report.js';
import { thinRows } from './training-curves.js';
import { umap2d } from './umap-2d.js';

const haveDigits = digitsPresent('plot tests');

/** Parses an SVG strictly: any XML error fails the test. */
function parseSvg(svg: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void errors.push(`${level}: ${msg}`) }).parseFromString(
    svg,
    'image/svg+xml',
  );
  expect(errors).toEqual([]);
  const root = doc.documentElement!;
  expect(root.nodeName).toBe('svg');
  return root;
}

/** Data-mark groups (`<g class="mark-<kind> role-mark ...">`) of a Vega SVG. */
function markGroups(root: Element, kind: string): Element[] {
  return Array.from(root.getElementsByTagName('g')).filter((g) =>
    (g.getAttribute('class') ?? '').startsWith(`mark-${kind} role-mark`),
  );
}

/** Child elements named `tag` of an element. */
function children(e: Element, tag: string): Element[] {
  return Array.from(e.childNodes).filter((c): c is Element => c.nodeType === 1 && c.nodeName === tag);
}

/** Vertices of a line path: one per M or L command. */
const vertices = (path: Element) => (path.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0;

describe.skipIf(!haveDigits)('plots from real data (digits)', () => {
  const digits = useDigits({ train: 512, initBackend: true });
  const dir = tempDir('autodidact-plots-');
  let rows: MetricsRow[];
  beforeAll(async () => {
    const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    rows = await loggedRun(method, digits.train, dir.path, {
      batchSize: 32,
      steps: 40,
      optimizer: { name: 'adam', lr: 0.02 },
      quiet: true,
      diagnosticsEvery: 5,
    });
    method.dispose();
  });

  it('training curves: valid SVG with one vertex per logged step in each line', async () => {
    const figures = await renderRunFigures({ rows, rng: new Rng(0) });
    expect(figures.curves.map((c) => c.name)).toEqual(['loss', 'lr', 'metrics', 'collapse']);
    const byName = Object.fromEntries(figures.curves.map((c) => [c.name, parseSvg(c.svg)]));

    const lossLines = markGroups(byName.loss!, 'line').flatMap((g) => children(g, 'path'));
    expect(lossLines).toHaveLength(2); // raw and smoothed
    expect(lossLines.map(vertices)).toEqual([40, 40]);
    const lrLines = markGroups(byName.lr!, 'line').flatMap((g) => children(g, 'path'));
    expect(lrLines.map(vertices)).toEqual([40]);
    const metricLines = markGroups(byName.metrics!, 'line').flatMap((g) => children(g, 'path'));
    expect(metricLines.map(vertices)).toEqual([40]); // the classifier's accuracy
    // diagnostics every 5th step: 8 points in each of the two panels, drawn as line + symbols
    const collapseLines = markGroups(byName.collapse!, 'line').flatMap((g) => children(g, 'path'));
    expect(collapseLines.map(vertices)).toEqual([8, 8]);
    const collapsePoints = markGroups(byName.collapse!, 'symbol').map((g) => children(g, 'path').length);
    expect(collapsePoints).toEqual([8, 8]);

    const written = await writePlots(join(dir.path, 'plots'), figures);
    expect((await readdir(join(dir.path, 'plots'))).sort()).toEqual([
      'collapse.svg',
      'loss.svg',
      'lr.svg',
      'metrics.svg',
    ]);
    expect(await readFile(written.loss!, 'utf8')).toBe(figures.curves[0]!.svg);
  });

  it('a run with the kNN monitor gets a monitor curve: one point per evaluation, score and best so far', async () => {
    const scores = [0.5, 0.7, 0.6, 0.8];
    const monitored = rows.map((r) => {
      const j = r.step / 10 - 1;
      return Number.isInteger(j)
        ? { ...r, monitor_knn_accuracy: scores[j]!, monitor_best_knn_accuracy: Math.max(...scores.slice(0, j + 1)) }
        : r;
    });
    const figures = await renderRunFigures({ rows: monitored, rng: new Rng(0) });
    expect(figures.curves.map((c) => c.name)).toEqual(['loss', 'lr', 'metrics', 'monitor', 'collapse']);
    const svg = parseSvg(figures.curves.find((c) => c.name === 'monitor')!.svg);
    const lines = markGroups(svg, 'line').flatMap((g) => children(g, 'path'));
    expect(lines.map(vertices)).toEqual([4, 4]);
    const html = renderHtmlReport({ title: 't', config: {}, summary: {}, rows: monitored, figures });
    expect(html).toContain('<figure id="figure-monitor" data-figure="monitor">');
    expect(html).toContain('<tr data-column="monitor_knn_accuracy"><td>monitor_knn_accuracy</td><td data-value="4">');
  });

  it("npm start's 150 steps with the default diagnostics cadence: the collapse plot has 25 points", async () => {
    // Before, diagnostics ran every 100 steps: one point on a 150-step run.
    const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const logged = await loggedRun(method, digits.train, join(dir.path, 'run-150'), {
      batchSize: 32,
      steps: 150,
      optimizer: { name: 'adam', lr: 0.02 },
      quiet: true,
    });
    method.dispose();
    const figures = await renderRunFigures({ rows: logged, rng: new Rng(0) });
    const collapse = parseSvg(figures.curves.find((c) => c.name === 'collapse')!.svg);
    const points = markGroups(collapse, 'symbol').map((g) => children(g, 'path').length);
    expect(points).toEqual([25, 25]);
  });

  it('long runs are thinned to at most maxPoints, keeping the last step', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => i + 1);
    const thin = thinRows(many, 2000);
    expect(thin.length).toBeLessThanOrEqual(2001);
    expect(thin[0]).toBe(1);
    expect(thin[thin.length - 1]).toBe(10_001);
  });

  it('UMAP separates digits 0 and 1 (raw pixels) into two clusters, reproducibly per seed', () => {
    const { x, y } = digits;
    const idx = Array.from(y.keys()).filter((i) => y[i] === 0 || y[i] === 1);
    const n = idx.length;
    const values = Float64Array.from(idx.flatMap((i) => x[i]!));
    const labels = idx.map((i) => y[i]!);
    const p = umap2d(values, n, 64, { rng: new Rng(7) });
    expect(Array.from(p).every(Number.isFinite)).toBe(true);

    // Centroids and RMS radii of the two classes in the 2-D map.
    const stats = [0, 1].map((c) => {
      const members = labels.flatMap((l, i) => (l === c ? [i] : []));
      const cx = members.reduce((s, i) => s + p[2 * i]!, 0) / members.length;
      const cy = members.reduce((s, i) => s + p[2 * i + 1]!, 0) / members.length;
      const r = Math.sqrt(
        members.reduce((s, i) => s + (p[2 * i]! - cx) ** 2 + (p[2 * i + 1]! - cy) ** 2, 0) / members.length,
      );
      return { cx, cy, r };
    });
    const gap = Math.hypot(stats[0]!.cx - stats[1]!.cx, stats[0]!.cy - stats[1]!.cy);
    expect(gap).toBeGreaterThan(stats[0]!.r + stats[1]!.r);
    // Leave-one-out 1-NN in the map recovers the class of (nearly) every point.
    let correct = 0;
    let minCross = Number.POSITIVE_INFINITY;
    const within: number[] = [];
    for (let i = 0; i < n; i++) {
      let best = Number.POSITIVE_INFINITY;
      let bestLabel = -1;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = (p[2 * i]! - p[2 * j]!) ** 2 + (p[2 * i + 1]! - p[2 * j + 1]!) ** 2;
        if (labels[i] !== labels[j]) minCross = Math.min(minCross, Math.sqrt(d));
        if (d < best) {
          best = d;
          bestLabel = labels[j]!;
        }
      }
      if (bestLabel === labels[i]) correct++;
      within.push(Math.sqrt(best));
    }
    within.sort((a, b) => a - b);
    const medianWithin = within[Math.floor(n / 2)]!;
    expect(correct / n).toBeGreaterThan(0.98);
    // A clear margin: the closest pair of points of different classes is much farther apart
    // than a typical point from its nearest neighbour.
    expect(minCross).toBeGreaterThan(10 * medianWithin);

    const again = umap2d(values, n, 64, { rng: new Rng(7) });
    expect(Array.from(again)).toEqual(Array.from(p));
    const other = umap2d(values, n, 64, { rng: new Rng(8), nEpochs: 50 });
    expect(Array.from(other)).not.toEqual(Array.from(p));
  });

  it('embedding map: one circle per sample, a legend entry per class when labelled, none otherwise', async () => {
    const rng = new Rng(3);
    const n = 57;
    const points = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const coloured = parseSvg(await embeddingMapSvg({ points, labels, classNames: ['zero', 'one', 'two'] }));
    expect(markGroups(coloured, 'symbol').map((g) => children(g, 'path').length)).toEqual([n]);
    const legend = Array.from(coloured.getElementsByTagName('g')).filter((g) =>
      (g.getAttribute('class') ?? '').includes('role-legend-symbol'),
    );
    expect(legend).toHaveLength(3);
    const legendText = Array.from(coloured.getElementsByTagName('text')).map((t) => t.textContent);
    expect(legendText).toEqual(expect.arrayContaining(['zero', 'one', 'two']));
    const fills = new Set(
      markGroups(coloured, 'symbol').flatMap((g) => children(g, 'path').map((c) => c.getAttribute('fill'))),
    );
    expect(fills.size).toBe(3);

    const plain = parseSvg(await embeddingMapSvg({ points }));
    expect(markGroups(plain, 'symbol').map((g) => children(g, 'path').length)).toEqual([n]);
    expect(plain.toString()).not.toContain('role-legend');
    await expect(embeddingMapSvg({ points, labels: labels.slice(1) })).rejects.toThrow(ShapeError);
    expect(() => umap2d([1, 2], 2, 1, { rng })).toThrow(ShapeError);
  });

  it('non-finite embeddings (a diverged encoder) give no map but a note, in the report too', async () => {
    const values = Float32Array.from({ length: 20 * 4 }, (_, i) => (i === 13 ? Number.NaN : i % 7));
    expect(() => umap2d(values, 20, 4, { rng: new Rng(0) })).toThrow(NumericalError);
    const figures = await renderRunFigures({ rows, embeddings: { values, n: 20, dim: 4 }, rng: new Rng(0) });
    expect(figures.embeddingMap).toBeUndefined();
    expect(figures.notes).toEqual(['no embedding map: 1 of the 80 embedding values are NaN or infinite']);
    const html = renderHtmlReport({ title: 't', config: {}, summary: {}, rows, figures });
    expect(html).toContain('no embedding map: 1 of the 80 embedding values are NaN or infinite');
    expect(html).not.toContain('data-figure="embedding-map"');
  });
});
