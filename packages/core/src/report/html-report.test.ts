/**
 * The HTML run report end to end: a real (short) training run on the digits set, real probes,
 * the figures and the report page, which headless Chromium (Debian's `chromium`) then loads;
 * the DOM it dumps must hold the figures and the numbers. Where chromium is absent the browser
 * test is skipped by design, with a message; CI installs it (tools/apt/report.txt) and its
 * fresh-clone run (tools/ci/fresh-clone.sh) fails on any skipped test, so there it always runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { DigitsClassifier } from '../../../../tools/fixtures/optim/digits-classifier.js';
import { embedDataset } from '../eval/embed-dataset.js';
import { knnProbe } from '../eval/knn-probe.js';
import { linearProbe } from '../eval/linear-probe.js';
import { Rng } from '../random/rng.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { loggedRun } from '../test-support/logged-run.js';
import { tempDir } from '../test-support/temp-dirs.js';
import { embeddingSample } from './embedding-sample.js';
import { escapeHtml, type ReportProbe, renderHtmlReport, summarizeMetrics, writeHtmlReport } from './html-report.js';
import type { MetricsRow } from './metrics-row.js';
import { type RunFigures, renderRunFigures } from './plots.js';

const run = promisify(execFile);

/** The first Chromium binary on PATH. */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}
const chromium = findChromium();
const haveDigits = digitsPresent('HTML report tests');
if (!chromium) {
  console.warn('skipping the headless-Chromium report test: no chromium on PATH (apt-get install -y chromium)');
}

const MAP_SAMPLES = 300;

describe.skipIf(!haveDigits)('HTML run report (digits run)', () => {
  const digits = useDigits({ train: 1200, rest: true, initBackend: true });
  const dir = tempDir('autodidact-report-');
  let rows: MetricsRow[];
  let figures: RunFigures;
  let probes: ReportProbe[];
  let reportPath: string;
  const config = { modality: 'test', method: 'digits-classifier', note: '<script>alert(1)</script> & co' };

  beforeAll(async () => {
    const { train, rest: test } = digits;
    const method = new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1 });
    const random = new DigitsClassifier({ hidden: 16, seed: 2, noise: 0.1 });
    rows = await loggedRun(method, train, dir.path, {
      batchSize: 64,
      steps: 60,
      optimizer: { name: 'adam', lr: 0.02 },
      quiet: true,
      diagnosticsEvery: 10,
    });
    probes = [];
    const acc: number[] = [];
    for (const m of [method, random]) {
      const embed = (b: Parameters<typeof m.embed>[0]) => m.embed(b);
      const trainX = embedDataset(embed, train);
      const testX = embedDataset(embed, test);
      const args = { trainX, trainY: train.labels, testX, testY: test.labels, seed: 0 };
      acc.push((await linearProbe(args)).accuracy, knnProbe(args).accuracy);
      tf.dispose([trainX, testX]);
    }
    probes = [
      { name: 'linear probe', accuracy: acc[0]!, randomInitAccuracy: acc[2]! },
      { name: 'kNN probe', accuracy: acc[1]!, randomInitAccuracy: acc[3]! },
    ];
    const tensorsBefore = tf.memory().numTensors;
    const embeddings = embeddingSample((b) => method.embed(b), test, { limit: MAP_SAMPLES, source: 'test split' });
    expect(tf.memory().numTensors).toBe(tensorsBefore); // embeddingSample frees what it makes
    expect(embeddings.n).toBe(MAP_SAMPLES);
    expect(embeddings.dim).toBe(16);
    // evenly spaced over the test split, labels carried along
    expect(Array.from(embeddings.labels!).slice(0, 3)).toEqual(
      [0, 1, 2].map((i) => test.labels[Math.floor((i * test.size) / MAP_SAMPLES)]),
    );
    figures = await renderRunFigures({ rows, embeddings, rng: new Rng(0) });
    reportPath = await writeHtmlReport(join(dir.path, 'report.html'), {
      title: 'test / digits-classifier',
      config,
      summary: { steps: 60, final_loss: rows[rows.length - 1]!.loss, out: dir.path },
      probes,
      probeNote: `${train.size} training and ${test.size} test samples`,
      rows,
      figures,
    });
    method.dispose();
    random.dispose();
  });

  it('summarises each metrics column as an independent recomputation does', () => {
    const s = summarizeMetrics(rows);
    const loss = s.find((c) => c.column === 'loss')!;
    const losses = rows.map((r) => r.loss);
    expect(loss.count).toBe(60);
    expect(loss.first).toBe(losses[0]);
    expect(loss.last).toBe(losses[59]);
    expect(loss.min).toBe(Math.min(...losses));
    expect(loss.mean).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / 60, 10);
    expect(s.find((c) => c.column === 'diag_effective_rank')!.count).toBe(6);
    expect(s.map((c) => c.column)).not.toContain('step');
  });

  it('escapes text: the configuration cannot inject markup', () => {
    const html = renderHtmlReport({ title: 'a<b', config, summary: {}, rows: [], figures: { curves: [] } });
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml(config.note));
    expect(html).toContain('id="no-probes"');
  });

  it.skipIf(!chromium)(
    'renders in headless Chromium with every figure and number',
    async () => {
      const profile = join(dir.path, 'chromium-profile');
      const { stdout } = await run(
        chromium!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          `--user-data-dir=${profile}`,
          '--dump-dom',
          `file://${reportPath}`,
        ],
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
      const doc = new DOMParser({ onError: () => undefined }).parseFromString(stdout, 'text/html');
      const all = (tag: string, root: Element = doc.documentElement!) => Array.from(root.getElementsByTagName(tag));
      expect(all('title')[0]?.textContent).toContain('test / digits-classifier');

      const figs = all('figure');
      expect(figs.map((f) => f.getAttribute('data-figure'))).toEqual([
        'loss',
        'lr',
        'metrics',
        'collapse',
        'embedding-map',
      ]);
      for (const f of figs) expect(all('svg', f)).toHaveLength(1);
      const mapFigure = figs[4]!;
      const symbols = all('g', mapFigure).filter((g) =>
        (g.getAttribute('class') ?? '').startsWith('mark-symbol role-mark'),
      );
      expect(symbols.map((g) => all('path', g).length)).toEqual([MAP_SAMPLES]);
      expect(all('figcaption', mapFigure)[0]?.textContent).toContain('coloured by label');
      const legendLabels = all('text', mapFigure).map((t) => t.textContent);
      expect(legendLabels).toEqual(expect.arrayContaining(['0', '1', '9']));

      const probeRows = all('tr').filter((r) => r.getAttribute('data-probe'));
      expect(probeRows.map((r) => r.getAttribute('data-probe'))).toEqual(['linear probe', 'kNN probe']);
      probeRows.forEach((r, i) => {
        const cells = all('td', r).map((c) => Number(c.getAttribute('data-value')));
        expect(cells[1]).toBe(probes[i]!.accuracy);
        expect(cells[2]).toBe(probes[i]!.randomInitAccuracy);
        expect(all('td', r)[1]!.textContent).toBe(`${(100 * probes[i]!.accuracy).toFixed(1)}%`);
      });

      const lossRow = all('tr').find((r) => r.getAttribute('data-column') === 'loss')!;
      const lossCells = all('td', lossRow).map((c) => Number(c.getAttribute('data-value')));
      expect(lossCells[1]).toBe(60); // steps with a value (cell 0 is the name)
      expect(lossCells[3]).toBe(rows[59]!.loss); // last
      expect(all('pre').find((p) => p.getAttribute('id') === 'config')?.textContent).toContain('digits-classifier');
    },
    60_000,
  );
});
