/**
 * The studio page: choose or drop a folder of images, WAV files or text files, pick a method
 * of that modality and its options (the registry's definitions and defaults, as `autodidact
 * methods` lists them), pretrain in a Web Worker with live curves and a UMAP map of the
 * embeddings that updates as training goes, label a few samples and see a kNN probe's accuracy
 * on the rest, and download the encoder (tfjs layers or ONNX). A reload resumes training from
 * the checkpoint in IndexedDB. `window.studio` exposes the page's state (for tests and the console).
 */
import { type CurvePoint, drawCurves } from './curves.js';
import { classOf, decodeImages, filesOfDrop, type ImageFile } from './decode-images.js';
import { drawEmbeddingMap } from './embedding-map.js';
import type { FromWorker, LoaderSettings, MethodInfo, StudioModality, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const CHECKPOINT_DIR = 'studio';
const RUN_KEY = 'autodidact-studio-run';
const IMAGE = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;
const AUDIO = /\.wav$/i;
const TEXT = /\.txt$/i;
/** The method each modality starts with. */
const FIRST_METHOD: Record<StudioModality, string> = { image: 'simclr', audio: 'wav2vec', text: 'simcse' };

/** The loaded samples, whatever their modality. */
interface Samples {
  modality: StudioModality;
  /** Per sample: its class index in `classNames` (from its folder or name), -1 when it has none. */
  labels: Int32Array;
  classNames: string[];
  paths: string[];
  /** Per sample: what a tile shows (images are drawn from `pixels`). */
  previews: string[];
  /** Images only: `[n, size, size, channels]` bytes and the sample shape. */
  pixels?: Uint8Array;
  shape?: [number, number, number];
}

/** What the page knows, readable from outside. */
const state = {
  backend: '',
  backendNotes: [] as string[],
  methods: { image: [], audio: [], text: [] } as Record<StudioModality, MethodInfo[]>,
  modality: 'image' as StudioModality,
  /** Number of samples (images, clips or text windows). */
  images: 0,
  classNames: [] as string[],
  points: [] as CurvePoint[],
  totalSteps: 0,
  startStep: 0,
  resumedFrom: undefined as string | undefined,
  running: false,
  done: undefined as { steps: number; stopped: boolean } | undefined,
  embeddings: [] as number[][],
  /** Embedding maps received in this run: the step each was computed at, its points and its cost. */
  maps: [] as { step: number; points: number[]; millis: number }[],
  probe: undefined as Extract<FromWorker, { type: 'probe' }> | undefined,
  /** Per sample: its label in the probe's bank (the user's), -1 when not labelled. */
  bank: [] as number[],
  errors: [] as string[],
  exported: false,
  exportedOnnx: false,
};
let data: Samples | undefined;
let files: ImageFile[] = [];
let pendingLoad: ((m: Extract<FromWorker, { type: 'loaded' }>) => void) | undefined;
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
/** The decoded bytes of the first `n` images (what the encoder saw). */
const pixels = (n: number) =>
  data?.pixels && data.shape
    ? Array.from(data.pixels.subarray(0, n * data.shape[0] * data.shape[1] * data.shape[2]))
    : [];
(window as unknown as { studio: unknown }).studio = { state, send, pixels };

function say(id: string, text: string) {
  $(id).textContent = text;
}

function methodInfo(): MethodInfo {
  return state.methods[state.modality].find((m) => m.name === $<HTMLSelectElement>('method').value)!;
}

/** Fills the method list with the registry of the loaded modality. */
function listMethods() {
  const select = $<HTMLSelectElement>('method');
  const list = state.methods[state.modality];
  if ([...select.options].map((o) => o.value).join() !== list.map((m) => m.name).join()) {
    select.textContent = '';
    for (const info of list) select.add(new Option(info.name, info.name));
    select.value = list.some((m) => m.name === FIRST_METHOD[state.modality])
      ? FIRST_METHOD[state.modality]
      : list[0]!.name;
  }
  say('modality', state.modality);
  showMethod();
}

function showMethod() {
  const m = methodInfo();
  say('method-description', m.description);
  $<HTMLTextAreaElement>('options').value = JSON.stringify(m.defaultOptions, null, 1);
  $<HTMLInputElement>('batch').value = String(Math.min(m.batchSize, Math.max(m.minBatchSize, state.images || 64)));
  $<HTMLInputElement>('lr').value = String(m.lr);
  say('trainer-defaults', `registry defaults: batch ${m.batchSize}, ${m.optimizer} lr ${m.lr}`);
}

function loaderSettings(): LoaderSettings {
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  return {
    sampleRate: num('sample-rate'),
    clipSeconds: num('clip-seconds'),
    contextLength: num('context-length'),
    vocabSize: num('vocab-size'),
    windowsPerFile: num('windows-per-file'),
  };
}

/** The modality of a file list: what most of its files are. */
function modalityOf(list: ImageFile[]): StudioModality {
  const count = (re: RegExp) => list.filter((f) => re.test(f.file.name)).length;
  const [a, t, i] = [count(AUDIO), count(TEXT), count(IMAGE)];
  return a > i && a >= t ? 'audio' : t > i && t > a ? 'text' : 'image';
}

async function load(all: ImageFile[]) {
  const modality = modalityOf(all);
  const list = all
    .filter((f) => (modality === 'audio' ? AUDIO : modality === 'text' ? TEXT : IMAGE).test(f.file.name))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  files = all;
  say('data-status', `decoding ${list.length} ${modality} files...`);
  let skipped: string[];
  let summary: string;
  if (modality === 'image') {
    const size = Number($<HTMLInputElement>('size').value);
    const colour = $<HTMLSelectElement>('colour').value === 'colour';
    const d = await decodeImages(list, size, colour);
    data = { modality, ...d, previews: d.paths };
    skipped = d.skipped;
    summary = `${d.labels.length} images at ${size}×${size} ${colour ? 'colour' : 'grey'}`;
  } else {
    const raw = await Promise.all(list.map(async (f) => ({ path: f.path, bytes: await f.file.arrayBuffer() })));
    const loaded = await new Promise<Extract<FromWorker, { type: 'loaded' }>>((resolve) => {
      pendingLoad = resolve;
      send(
        { type: 'load', modality, files: raw, settings: loaderSettings() },
        raw.map((r) => r.bytes),
      );
    });
    const classes = list.map((f) => classOf(f.path));
    const classNames = [...new Set(classes.filter((c): c is string => c !== undefined))].sort();
    const fileOf = [...loaded.fileOf];
    data = {
      modality,
      labels: Int32Array.from(fileOf, (i) => (classes[i] === undefined ? -1 : classNames.indexOf(classes[i]!))),
      classNames,
      paths: fileOf.map((i) => list[i]!.path),
      previews: loaded.previews,
    };
    skipped = loaded.skipped;
    summary = loaded.summary;
  }
  state.modality = modality;
  state.images = data.labels.length;
  state.classNames = data.classNames;
  state.bank = new Array<number>(state.images).fill(-1);
  state.maps = [];
  const named = data.classNames.length > 0 ? `, ${data.classNames.length} classes (${data.classNames.join(', ')})` : '';
  say('data-status', `${summary}${named}` + (skipped.length ? `; skipped ${skipped.length}: ${skipped[0]}` : ''));
  drawThumbnails();
  if (state.backend) listMethods();
}

function drawThumbnails() {
  const grid = $('thumbs');
  grid.textContent = '';
  if (!data) return;
  const shown = Math.min(state.images, 300);
  for (let i = 0; i < shown; i++) {
    let tile: HTMLElement;
    if (data.pixels && data.shape) {
      const [h, w, c] = data.shape;
      const cv = document.createElement('canvas');
      cv.width = w;
      cv.height = h;
      const img = cv.getContext('2d')!.createImageData(w, h);
      for (let p = 0; p < w * h; p++) {
        const base = (i * w * h + p) * c;
        img.data[p * 4] = data.pixels[base]!;
        img.data[p * 4 + 1] = data.pixels[base + (c === 3 ? 1 : 0)]!;
        img.data[p * 4 + 2] = data.pixels[base + (c === 3 ? 2 : 0)]!;
        img.data[p * 4 + 3] = 255;
      }
      cv.getContext('2d')!.putImageData(img, 0, 0);
      tile = cv;
    } else {
      tile = document.createElement('div');
      tile.classList.add('tile');
      tile.textContent = `${data.paths[i]!.split('/').pop()} · ${data.previews[i]}`;
    }
    tile.classList.add('thumb');
    tile.title = data.paths[i]!;
    tile.onclick = () => cycleLabel(i);
    grid.append(tile);
  }
  markThumbnails();
}

/** A click gives a sample the next class (and then none): the user's labels form the probe's bank. */
function cycleLabel(i: number) {
  const n = state.classNames.length || 2;
  state.bank[i] = state.bank[i]! + 1 >= n ? -1 : state.bank[i]! + 1;
  markThumbnails();
}

function markThumbnails() {
  const thumbs = $('thumbs').children;
  const predicted = new Map<number, number>();
  if (state.probe && data) {
    const query = [...state.bank.keys()].filter((i) => state.bank[i]! < 0 && data!.labels[i]! >= 0);
    query.forEach((i, j) => {
      predicted.set(i, state.probe!.predictions[j]!);
    });
  }
  for (let i = 0; i < thumbs.length; i++) {
    const el = thumbs[i] as HTMLElement;
    const label = state.bank[i]!;
    el.dataset.label = label >= 0 ? (state.classNames[label] ?? String(label)) : '';
    el.classList.toggle('labelled', label >= 0);
    const p = predicted.get(i);
    el.classList.toggle('right', p !== undefined && p === data!.labels[i]);
    el.classList.toggle('wrong', p !== undefined && p !== data!.labels[i]);
  }
  say('labelled-status', `${state.bank.filter((l) => l >= 0).length} samples labelled (click one to label it)`);
  drawMap();
}

/** The latest embedding map, coloured by the user's labels. */
function drawMap() {
  const latest = state.maps[state.maps.length - 1];
  if (!latest) return;
  drawEmbeddingMap(
    $<HTMLCanvasElement>('map'),
    latest.points,
    state.bank,
    state.classNames,
    `UMAP of ${latest.points.length / 2} samples at step ${latest.step} (${latest.millis.toFixed(0)} ms)`,
  );
}

function labelFromNames() {
  if (!data) return;
  const per = Number($<HTMLInputElement>('per-class').value);
  const seen = new Map<number, number>();
  state.bank = Array.from(data.labels, (l) => {
    const k = seen.get(l) ?? 0;
    if (l < 0 || k >= per) return -1;
    seen.set(l, k + 1);
    return l;
  });
  markThumbnails();
}

function train(startOver: boolean) {
  if (!data) {
    say('train-status', 'choose a folder of images, WAV files or text files first');
    return;
  }
  let options: Record<string, unknown>;
  try {
    options = JSON.parse($<HTMLTextAreaElement>('options').value) as Record<string, unknown>;
  } catch (err) {
    say('train-status', `options: not valid JSON (${(err as Error).message})`);
    return;
  }
  state.points = [];
  state.maps = [];
  state.done = undefined;
  state.probe = undefined;
  state.running = true;
  const pixelCopy = data.pixels?.slice();
  const request = {
    type: 'train' as const,
    modality: data.modality,
    ...(pixelCopy && data.shape ? { pixels: pixelCopy, shape: data.shape } : {}),
    method: methodInfo().name,
    options,
    steps: Number($<HTMLInputElement>('steps').value),
    batchSize: Number($<HTMLInputElement>('batch').value),
    lr: Number($<HTMLInputElement>('lr').value),
    seed: Number($<HTMLInputElement>('seed').value),
    checkpointDir: `${CHECKPOINT_DIR}${data.modality === 'image' ? '' : `-${data.modality}`}`,
    checkpointEvery: Number($<HTMLInputElement>('checkpoint-every').value),
    mapEvery: Number($<HTMLInputElement>('map-every').value),
    startOver,
  };
  localStorage.setItem(RUN_KEY, JSON.stringify({ ...request, pixels: undefined, images: state.images, step: 0 }));
  say('train-status', startOver ? 'starting over...' : 'starting (resumes from a checkpoint if there is one)...');
  send(request, pixelCopy ? [pixelCopy.buffer] : []);
}

function download(name: string, blob: Blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.type === 'ready') {
    state.backend = m.backend;
    state.backendNotes = m.notes;
    state.methods = m.methods;
    say('backend', `tfjs backend: ${m.backend}`);
    $('backend').title = m.notes.join('\n');
    say('backend-notes', m.notes.join('; '));
    listMethods();
    document.body.dataset.ready = 'true';
  } else if (m.type === 'loaded') {
    pendingLoad?.(m);
    pendingLoad = undefined;
  } else if (m.type === 'start') {
    state.totalSteps = m.totalSteps;
    state.startStep = m.startStep;
    state.resumedFrom = m.resumedFrom;
    say(
      'train-status',
      m.resumedFrom ? `resumed from ${m.resumedFrom} at step ${m.startStep}` : `training ${m.totalSteps} steps`,
    );
  } else if (m.type === 'step') {
    state.points.push(m);
    drawCurves($<HTMLCanvasElement>('curves'), state.points, state.totalSteps);
    say(
      'step-status',
      `step ${m.step}/${state.totalSteps} · loss ${m.loss.toFixed(4)} · lr ${m.lr.toExponential(2)} · ` +
        `${m.stepsPerSec.toFixed(2)} steps/s (${state.backend})`,
    );
    const run = JSON.parse(localStorage.getItem(RUN_KEY) ?? '{}') as Record<string, unknown>;
    localStorage.setItem(RUN_KEY, JSON.stringify({ ...run, step: m.step }));
  } else if (m.type === 'map') {
    state.maps.push({ step: m.step, points: Array.from(m.points), millis: m.millis });
    drawMap();
  } else if (m.type === 'done') {
    state.running = false;
    state.done = { steps: m.steps, stopped: m.stopped };
    state.embeddings = m.embeddings;
    say('train-status', `${m.stopped ? 'stopped' : 'done'} at step ${m.steps}; embeddings ready`);
  } else if (m.type === 'probe') {
    state.probe = m;
    say(
      'probe-status',
      `kNN (k=${m.k}, T=0.07): ${(100 * m.accuracy).toFixed(1)}% of ${m.nQuery} samples from ${m.nBank} labelled ` +
        `(chance, the most common class: ${(100 * m.chance).toFixed(1)}%)`,
    );
    markThumbnails();
  } else if (m.type === 'export' && m.format === 'tfjs') {
    download('model.json', new Blob([m.modelJson], { type: 'application/json' }));
    download('weights.bin', new Blob([m.weights], { type: 'application/octet-stream' }));
    state.exported = true;
    say(
      'export-status',
      `model.json + weights.bin (${(m.weights.byteLength / 1024).toFixed(0)} KiB), tfjs layers format`,
    );
  } else if (m.type === 'export' && m.format === 'onnx') {
    download('model.onnx', new Blob([m.onnx], { type: 'application/octet-stream' }));
    state.exportedOnnx = true;
    say('export-status', `model.onnx (${(m.onnx.byteLength / 1024).toFixed(0)} KiB), ONNX opset 13`);
  } else if (m.type === 'error') {
    state.running = false;
    state.errors.push(m.message);
    say('train-status', `error: ${m.message}`);
  }
};

const chosen = (e: Event) =>
  void load(
    [...((e.target as HTMLInputElement).files ?? [])].map((file) => ({
      file,
      path: file.webkitRelativePath || file.name,
    })),
  );
$<HTMLInputElement>('folder').onchange = chosen;
$<HTMLInputElement>('loose').onchange = chosen;
const drop = $('drop');
drop.ondragover = (e) => e.preventDefault();
drop.ondrop = async (e) => {
  e.preventDefault();
  if (e.dataTransfer) await load(await filesOfDrop(e.dataTransfer.items));
};
for (const id of ['size', 'colour', 'sample-rate', 'clip-seconds', 'context-length', 'vocab-size', 'windows-per-file'])
  $(id).onchange = () => files.length && void load(files);
$<HTMLSelectElement>('method').onchange = showMethod;
$('train').onclick = () => train(false);
$('start-over').onclick = () => train(true);
$('stop').onclick = () => send({ type: 'stop' });
$('label-names').onclick = labelFromNames;
$('probe').onclick = () => {
  if (!data) return;
  send({
    type: 'probe',
    labels: data.labels,
    bank: state.bank.map((l) => l >= 0),
    k: Number($<HTMLInputElement>('k').value),
  });
};
$('export').onclick = () => send({ type: 'export', format: 'tfjs' });
$('export-onnx').onclick = () => send({ type: 'export', format: 'onnx' });

const previous = localStorage.getItem(RUN_KEY);
if (previous) {
  const run = JSON.parse(previous) as { method?: string; modality?: string; step?: number; images?: number };
  say(
    'resume-note',
    `A ${run.method} run on ${run.images} ${run.modality ?? 'image'} samples reached step ${run.step} before this page was closed. ` +
      'Choose the same files and press Train: it resumes from its last checkpoint.',
  );
}
const backend = new URLSearchParams(location.search).get('backend');
send({ type: 'init', backend: backend === 'cpu' || backend === 'webgl' ? backend : 'auto' });
