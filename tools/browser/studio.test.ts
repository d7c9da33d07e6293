/**
 * The studio page (examples/studio) in Debian's chromium, end to end: built with
 * tools/browser/build-studio.mjs and served from localhost, it is given 300 MNIST test images
 * (30 per digit) as PNG files named `<digit>-<index>.png`, pretrains SimCLR in its worker, is
 * reloaded mid-run and resumes from the IndexedDB checkpoint (not from step 0), finishes; the
 * loss falls; a kNN probe from 10 labelled images per digit scores the other 200 above chance
 * (the most common digit's share, about 10%); the embedding map is drawn and changes between two
 * updates; the downloaded encoder, loaded in Node with tfjs's loadLayersModel and, as ONNX, run
 * in onnxruntime-node, gives the page's embeddings for the page's pixels. A second run gives the
 * page spoken-digit WAV files and pretrains wav2vec on them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileLoadHandler } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdx } from '../../packages/vision/src/io/idx.js';
import { dataFile } from '../../packages/vision/src/test-support/data.js';
import { REPO } from '../publish/package-files.js';
import { launchChromium, type StaticServer, serveFolder } from './chromium.js';

const PER_DIGIT = 30;
const SIZE = 20;
const STEPS = 30;
const RELOAD_AFTER = 12;
const SETTINGS = { size: SIZE, steps: STEPS, batch: 32, lr: 0.003, 'checkpoint-every': 5, 'map-every': 10 };
const OPTIONS = { width: 8, hiddenDim: 64, projectionDim: 32 };

interface PageState {
  backend: string;
  points: { step: number; loss: number; stepsPerSec: number }[];
  startStep: number;
  resumedFrom?: string;
  done?: { steps: number; stopped: boolean };
  embeddings: number[][];
  maps: { step: number; points: number[]; millis: number }[];
  probe?: { accuracy: number; chance: number; nBank: number; nQuery: number; k: number };
  errors: string[];
  exported: boolean;
  exportedOnnx: boolean;
  modality: string;
  images: number;
}

const stateOf = (page: Page) => page.evaluate('window.studio.state') as Promise<PageState>;

async function until<T>(page: Page, what: string, check: (s: PageState) => T | undefined, ms = 400_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await stateOf(page);
    if (s.errors.length) throw new Error(`page error while waiting for ${what}: ${s.errors.join('; ')}`);
    const v = check(s);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Loads the page, gives it the files and the settings, presses Train. */
async function startRun(
  page: Page,
  url: string,
  files: string[],
  settings: Record<string, number> = SETTINGS,
  options: Record<string, unknown> = OPTIONS,
  samples = files.length,
): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  // The loader settings before the files (they are decoded by them); all again after (a load shows the method's defaults).
  await page.evaluate((settings) => {
    for (const [id, v] of Object.entries(settings)) (document.getElementById(id) as HTMLInputElement).value = String(v);
  }, settings);
  const input = (await page.$('#loose')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(...files);
  await page.waitForFunction(`window.studio.state.images === ${samples}`, { timeout: 60_000 });
  await page.evaluate(
    (settings, options) => {
      for (const [id, v] of Object.entries(settings))
        (document.getElementById(id) as HTMLInputElement).value = String(v);
      const box = document.getElementById('options') as HTMLTextAreaElement;
      box.value = JSON.stringify({ ...JSON.parse(box.value), ...options });
    },
    settings,
    options,
  );
  await page.click('#train');
}

describe('the studio page (chromium)', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let files: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-'));
    execFileSync(process.execPath, [join(REPO, 'tools/browser/build-studio.mjs'), '--out', join(dir, 'site')]);
    const images = parseIdx(new Uint8Array(readFileSync(dataFile('mnist', 't10k-images-idx3-ubyte'))), 't10k-images');
    const labels = parseIdx(new Uint8Array(readFileSync(dataFile('mnist', 't10k-labels-idx1-ubyte'))), 't10k-labels');
    mkdirSync(join(dir, 'images'));
    const count = new Array<number>(10).fill(0);
    files = [];
    for (let i = 0; files.length < 10 * PER_DIGIT; i++) {
      const d = labels.data[i]!;
      if (count[d]! >= PER_DIGIT) continue;
      count[d]!++;
      const file = join(dir, 'images', `${d}-${String(i).padStart(5, '0')}.png`);
      await sharp(Buffer.from(images.data.subarray(i * 784, (i + 1) * 784)), {
        raw: { width: 28, height: 28, channels: 1 },
      })
        .png()
        .toFile(file);
      files.push(file);
    }
    server = await serveFolder(join(dir, 'site'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pretrains, resumes after a reload, probes above chance and exports the encoder it embeds with', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });

    // STUDIO_BACKEND=cpu forces tfjs's cpu backend (default: WebGL when the browser gives it).
    const url = `${server.url}/${process.env.STUDIO_BACKEND ? `?backend=${process.env.STUDIO_BACKEND}` : ''}`;
    await page.setViewport({ width: 1100, height: 1000 });

    // First run, interrupted by a reload.
    await startRun(page, url, files);
    const first = await until(page, `${RELOAD_AFTER} steps`, (s) => (s.points.length >= RELOAD_AFTER ? s : undefined));
    expect(first.startStep).toBe(0);
    const firstLosses = first.points.map((p) => p.loss);
    await page.reload();

    // After the reload: the page says a run can resume, and it does, from its last checkpoint.
    await startRun(page, url, files);
    expect(await page.$eval('#resume-note', (e) => e.textContent)).toMatch(/resumes from its last checkpoint/);
    const resumed = await until(page, 'the resumed run to start', (s) => (s.startStep > 0 ? s : undefined));
    expect(resumed.startStep % SETTINGS['checkpoint-every']).toBe(0);
    expect(resumed.startStep).toBeGreaterThanOrEqual(10);
    expect(resumed.startStep).toBeLessThanOrEqual(first.points.length);
    expect(resumed.resumedFrom).toBe(`indexeddb:studio/step-0000${resumed.startStep}`);
    const done = await until(page, 'the end of training', (s) => (s.done ? s : undefined));
    expect(done.done!.steps).toBe(STEPS);
    expect(done.points[0]!.step).toBe(resumed.startStep + 1);
    const speed = done.points[done.points.length - 1]!.stepsPerSec;
    console.log(
      `studio: backend ${done.backend}, ${speed.toFixed(2)} steps/s; resumed at step ${resumed.startStep} after a reload at step ${first.points.length}`,
    );

    // The embedding map: drawn at the resumed start, every 10 steps and at the end; it moves as training goes.
    const maps = done.maps;
    expect(maps.map((m) => m.step)).toEqual([resumed.startStep, 20, STEPS].filter((v, i, a) => a.indexOf(v) === i));
    for (const m of maps) expect(m.points.length).toBe(2 * 10 * PER_DIGIT);
    const moved = Math.max(...maps[0]!.points.map((v, i) => Math.abs(v - maps[maps.length - 1]!.points[i]!)));
    console.log(
      `studio: UMAP of 300 embeddings at steps ${maps.map((m) => m.step).join(', ')}: ` +
        `${maps.map((m) => m.millis.toFixed(0)).join(', ')} ms; largest coordinate change ${moved.toFixed(2)}`,
    );
    expect(moved).toBeGreaterThan(0.1);
    const inked = await page.$eval('#map', (c) => {
      const d = (c as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(1000);

    // The loss falls: the last five steps against the first five.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const early = mean(firstLosses.slice(0, 5));
    const late = mean(done.points.slice(-5).map((p) => p.loss));
    console.log(`studio: loss ${early.toFixed(3)} (steps 1-5) -> ${late.toFixed(3)} (steps ${STEPS - 4}-${STEPS})`);
    expect(late).toBeLessThan(early - 0.1);

    // kNN probe: 10 labelled images per digit, the other 200 scored.
    await page.evaluate(() => {
      (document.getElementById('per-class') as HTMLInputElement).value = '10';
    });
    await page.click('#label-names');
    await page.click('#probe');
    const probed = await until(page, 'the probe', (s) => s.probe);
    console.log(
      `studio: kNN (k=${probed.k}) accuracy ${probed.accuracy.toFixed(3)} on ${probed.nQuery} images from ` +
        `${probed.nBank} labelled; chance ${probed.chance.toFixed(3)}`,
    );
    expect(probed.nBank).toBe(100);
    expect(probed.nQuery).toBe(200);
    expect(probed.chance).toBeCloseTo(0.1, 5);
    expect(probed.accuracy).toBeGreaterThan(3 * probed.chance);
    // STUDIO_SCREENSHOT_DIR=docs/img writes the page as the docs show it.
    if (process.env.STUDIO_SCREENSHOT_DIR) {
      await page.screenshot({ path: join(process.env.STUDIO_SCREENSHOT_DIR, 'studio.png'), fullPage: true });
    }

    // The encoder, downloaded and loaded in Node, embeds the page's pixels as the page did.
    await page.click('#export');
    await until(page, 'the export', (s) => s.exported || undefined);
    const end = Date.now() + 20_000;
    while (!(existsSync(join(downloads, 'model.json')) && existsSync(join(downloads, 'weights.bin')))) {
      if (Date.now() > end) throw new Error(`downloads missing: ${readdirSync(downloads).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const n = 16;
    const pixels = (await page.evaluate(`window.studio.pixels(${n})`)) as number[];
    // The bytes the page decoded (MNIST's grey, resized by the browser to SIZE) are what the encoder saw.
    expect(pixels.length).toBe(n * SIZE * SIZE);
    const model = await tf.loadLayersModel(fileLoadHandler(join(downloads, 'model.json')));
    const x = tf.tensor4d(
      Float32Array.from(pixels, (p) => p / 255),
      [n, SIZE, SIZE, 1],
    );
    const y = model.predict(x) as tf.Tensor2D;
    const nodeEmbeddings = (await y.array()) as number[][];
    tf.dispose([x, y]);
    model.dispose();
    const pageEmbeddings = done.embeddings.slice(0, n);
    const scale = Math.max(...pageEmbeddings.flat().map(Math.abs));
    const diff = Math.max(
      ...nodeEmbeddings.flatMap((row, i) => row.map((v, j) => Math.abs(v - pageEmbeddings[i]![j]!))),
    );
    console.log(
      `studio: Node vs page embeddings: max |diff| ${diff.toExponential(2)} (largest |value| ${scale.toFixed(3)})`,
    );
    expect(nodeEmbeddings[0]!.length).toBe(pageEmbeddings[0]!.length);
    expect(diff).toBeLessThan(1e-4 * Math.max(1, scale));

    // The ONNX download, run in onnxruntime-node on the same pixels, gives the same embeddings.
    await page.click('#export-onnx');
    await until(page, 'the ONNX export', (s) => s.exportedOnnx || undefined);
    const onnxFile = join(downloads, 'model.onnx');
    while (!existsSync(onnxFile)) {
      if (Date.now() > end + 20_000) throw new Error(`model.onnx missing: ${readdirSync(downloads).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 300)); // the download is renamed into place whole, but let it settle
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(onnxFile)));
    const out = await session.run({
      input: new ort.Tensor(
        'float32',
        Float32Array.from(pixels, (p) => p / 255),
        [n, SIZE, SIZE, 1],
      ),
    });
    const onnx = out.embedding!;
    expect(onnx.dims).toEqual([n, pageEmbeddings[0]!.length]);
    const onnxValues = onnx.data as Float32Array;
    const onnxDiff = Math.max(
      ...pageEmbeddings.flatMap((row, i) => row.map((v, j) => Math.abs(v - onnxValues[i * row.length + j]!))),
    );
    console.log(`studio: onnxruntime-node vs page embeddings: max |diff| ${onnxDiff.toExponential(2)}`);
    expect(onnxDiff).toBeLessThan(1e-4 * Math.max(1, scale));
    await session.release();
    expect(pageErrors).toEqual([]);
  }, 900_000);

  it('pretrains wav2vec on spoken-digit WAV files', async () => {
    // 12 clips of each of three digits, named <digit>-<file>.wav so the page labels them.
    const wavs: string[] = [];
    mkdirSync(join(dir, 'wavs'));
    for (const digit of ['zero', 'one', 'two']) {
      const names = readdirSync(dataFile('spoken-digits', digit))
        .filter((f) => f.endsWith('.wav'))
        .sort();
      for (const name of names.slice(0, 12)) {
        const to = join(dir, 'wavs', `${digit}-${name}`);
        copyFileSync(dataFile('spoken-digits', `${digit}/${name}`), to);
        wavs.push(to);
      }
    }
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const settings = {
      'sample-rate': 8000,
      'clip-seconds': 0.5,
      steps: 10,
      batch: 12,
      lr: 0.001,
      'checkpoint-every': 100,
      'map-every': 5,
    };
    const options = { width: 32, contextDim: 32, contextLayers: 2, steps: 4, negatives: 6, cropSamples: 2400 };
    // cpu: WebGL (SwiftShader) spends minutes compiling the shaders of wav2vec's first step here.
    await startRun(page, `${server.url}/?backend=cpu`, wavs, settings, options);
    const s = await until(page, 'the end of wav2vec training', (x) => (x.done ? x : undefined));
    expect(s.modality).toBe('audio');
    expect(s.done!.steps).toBe(10);
    const losses = s.points.map((p) => p.loss);
    console.log(
      `studio (audio): wav2vec on ${wavs.length} WAV files, backend ${s.backend}: loss ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
    expect(losses).toHaveLength(10);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)));
    expect(s.maps.map((m) => m.step)).toEqual([0, 5, 10]);
    expect(s.maps[0]!.points).toHaveLength(2 * wavs.length);
    expect(s.embeddings).toHaveLength(wavs.length);
    expect(pageErrors).toEqual([]);
  }, 900_000);

  it('pretrains SimCSE on State of the Union texts through a BPE trained on the page', async () => {
    const sotu = dirname(dataFile('sotu', '.complete'));
    const texts = readdirSync(sotu)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .slice(0, 12)
      .map((f) => join(sotu, f));
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const settings = {
      'context-length': 32,
      'vocab-size': 512,
      'windows-per-file': 6,
      steps: 6,
      batch: 16,
      lr: 0.001,
      'checkpoint-every': 100,
      'map-every': 3,
    };
    // Each of the 12 speeches is longer than 6 windows of 32 tokens: 72 samples.
    await startRun(page, `${server.url}/?backend=cpu`, texts, settings, { dim: 32, heads: 2, layers: 1 }, 72);
    const s = await until(page, 'the end of SimCSE training', (x) => (x.done ? x : undefined));
    expect(s.modality).toBe('text');
    const losses = s.points.map((p) => p.loss);
    console.log(
      `studio (text): SimCSE on ${texts.length} texts (72 windows), backend ${s.backend}: loss ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
    // The registry's 50 warm-up steps keep the lr tiny over 6 steps: the loss is checked finite, not falling.
    expect(losses).toHaveLength(6);
    for (const l of losses) expect(Number.isFinite(l) && l > 0).toBe(true);
    expect(s.maps.map((m) => m.step)).toEqual([0, 3, 6]);
    expect(s.embeddings).toHaveLength(72);
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
