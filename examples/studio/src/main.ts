/**
 * The studio page: choose or drop a folder of images, pick a vision method and its options
 * (the registry's definitions and defaults, as `autodidact methods` lists them), pretrain in a
 * Web Worker with live curves, label a few images and see a kNN probe's accuracy on the rest,
 * and download the encoder. A reload resumes training from the checkpoint in IndexedDB.
 * `window.studio` exposes the page's state (for tests and the console).
 */
import { type CurvePoint, drawCurves } from './curves.js';
import { type DecodedImages, decodeImages, filesOfDrop, type ImageFile } from './decode-images.js';
import type { FromWorker, MethodInfo, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const CHECKPOINT_DIR = 'studio';
const RUN_KEY = 'autodidact-studio-run';

/** What the page knows, readable from outside. */
const state = {
  backend: '',
  methods: [] as MethodInfo[],
  images: 0,
  classNames: [] as string[],
  points: [] as CurvePoint[],
  totalSteps: 0,
  startStep: 0,
  resumedFrom: undefined as string | undefined,
  running: false,
  done: undefined as { steps: number; stopped: boolean } | undefined,
  embeddings: [] as number[][],
  probe: undefined as Extract<FromWorker, { type: 'probe' }> | undefined,
  /** Per image: its label in the probe's bank (the user's), -1 when not labelled. */
  bank: [] as number[],
  errors: [] as string[],
  exported: false,
};
let data: DecodedImages | undefined;
let files: ImageFile[] = [];
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
/** The decoded bytes of the first `n` images (what the encoder saw). */
const pixels = (n: number) =>
  data ? Array.from(data.pixels.subarray(0, n * data.shape[0] * data.shape[1] * data.shape[2])) : [];
(window as unknown as { studio: unknown }).studio = { state, send, pixels };

function say(id: string, text: string) {
  $(id).textContent = text;
}

function methodInfo(): MethodInfo {
  return state.methods.find((m) => m.name === $<HTMLSelectElement>('method').value)!;
}

function showMethod() {
  const m = methodInfo();
  say('method-description', m.description);
  $<HTMLTextAreaElement>('options').value = JSON.stringify(m.defaultOptions, null, 1);
  $<HTMLInputElement>('batch').value = String(Math.min(m.batchSize, Math.max(m.minBatchSize, state.images || 64)));
  $<HTMLInputElement>('lr').value = String(m.lr);
  say('trainer-defaults', `registry defaults: batch ${m.batchSize}, ${m.optimizer} lr ${m.lr}`);
}

async function load(list: ImageFile[]) {
  files = list;
  const size = Number($<HTMLInputElement>('size').value);
  const colour = $<HTMLSelectElement>('colour').value === 'colour';
  say('data-status', `decoding ${list.length} files...`);
  data = await decodeImages(list, size, colour);
  state.images = data.labels.length;
  state.classNames = data.classNames;
  state.bank = new Array<number>(state.images).fill(-1);
  const named = data.classNames.length > 0 ? `, ${data.classNames.length} classes (${data.classNames.join(', ')})` : '';
  say(
    'data-status',
    `${state.images} images at ${size}×${size} ${colour ? 'colour' : 'grey'}${named}` +
      (data.skipped.length ? `; skipped ${data.skipped.length}: ${data.skipped[0]}` : ''),
  );
  drawThumbnails();
  if (state.methods.length) showMethod();
}

function drawThumbnails() {
  const grid = $('thumbs');
  grid.textContent = '';
  if (!data) return;
  const [h, w, c] = data.shape;
  const shown = Math.min(state.images, 200);
  for (let i = 0; i < shown; i++) {
    const cv = document.createElement('canvas');
    cv.width = w;
    cv.height = h;
    cv.className = 'thumb';
    cv.title = data.paths[i]!;
    const img = cv.getContext('2d')!.createImageData(w, h);
    for (let p = 0; p < w * h; p++) {
      const base = (i * w * h + p) * c;
      img.data[p * 4] = data.pixels[base]!;
      img.data[p * 4 + 1] = data.pixels[base + (c === 3 ? 1 : 0)]!;
      img.data[p * 4 + 2] = data.pixels[base + (c === 3 ? 2 : 0)]!;
      img.data[p * 4 + 3] = 255;
    }
    cv.getContext('2d')!.putImageData(img, 0, 0);
    cv.onclick = () => cycleLabel(i);
    grid.append(cv);
  }
  markThumbnails();
}

/** A click gives an image the next class (and then none): the user's labels form the probe's bank. */
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
  say('labelled-status', `${state.bank.filter((l) => l >= 0).length} images labelled (click an image to label it)`);
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
    say('train-status', 'choose a folder of images first');
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
  state.done = undefined;
  state.probe = undefined;
  state.running = true;
  const request = {
    type: 'train' as const,
    pixels: data.pixels.slice(),
    shape: data.shape,
    method: methodInfo().name,
    options,
    steps: Number($<HTMLInputElement>('steps').value),
    batchSize: Number($<HTMLInputElement>('batch').value),
    lr: Number($<HTMLInputElement>('lr').value),
    seed: Number($<HTMLInputElement>('seed').value),
    checkpointDir: CHECKPOINT_DIR,
    checkpointEvery: Number($<HTMLInputElement>('checkpoint-every').value),
    startOver,
  };
  localStorage.setItem(RUN_KEY, JSON.stringify({ ...request, pixels: undefined, images: state.images, step: 0 }));
  say('train-status', startOver ? 'starting over...' : 'starting (resumes from a checkpoint if there is one)...');
  send(request, [request.pixels.buffer]);
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
    state.methods = m.methods;
    say('backend', `tfjs backend: ${m.backend}${m.backend === 'cpu' ? ' (WebGL unavailable here)' : ''}`);
    const select = $<HTMLSelectElement>('method');
    for (const info of m.methods) select.add(new Option(info.name, info.name));
    select.value = 'simclr';
    showMethod();
    document.body.dataset.ready = 'true';
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
  } else if (m.type === 'done') {
    state.running = false;
    state.done = { steps: m.steps, stopped: m.stopped };
    state.embeddings = m.embeddings;
    say('train-status', `${m.stopped ? 'stopped' : 'done'} at step ${m.steps}; embeddings ready`);
  } else if (m.type === 'probe') {
    state.probe = m;
    say(
      'probe-status',
      `kNN (k=${m.k}, T=0.07): ${(100 * m.accuracy).toFixed(1)}% of ${m.nQuery} images from ${m.nBank} labelled ` +
        `(chance, the most common class: ${(100 * m.chance).toFixed(1)}%)`,
    );
    markThumbnails();
  } else if (m.type === 'export') {
    download('model.json', new Blob([m.modelJson], { type: 'application/json' }));
    download('weights.bin', new Blob([m.weights], { type: 'application/octet-stream' }));
    state.exported = true;
    say(
      'export-status',
      `model.json + weights.bin (${(m.weights.byteLength / 1024).toFixed(0)} KiB), tfjs layers format`,
    );
  } else if (m.type === 'error') {
    state.running = false;
    state.errors.push(m.message);
    say('train-status', `error: ${m.message}`);
  }
};

$<HTMLInputElement>('folder').onchange = (e) => {
  const list = [...((e.target as HTMLInputElement).files ?? [])].map((file) => ({
    file,
    path: file.webkitRelativePath || file.name,
  }));
  void load(list.filter((f) => /\.(png|jpe?g|gif|webp|bmp|avif)$/i.test(f.file.name)));
};
$<HTMLInputElement>('loose').onchange = $<HTMLInputElement>('folder').onchange;
const drop = $('drop');
drop.ondragover = (e) => e.preventDefault();
drop.ondrop = async (e) => {
  e.preventDefault();
  if (e.dataTransfer) await load(await filesOfDrop(e.dataTransfer.items));
};
for (const id of ['size', 'colour']) $(id).onchange = () => files.length && void load(files);
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
$('export').onclick = () => send({ type: 'export' });

const previous = localStorage.getItem(RUN_KEY);
if (previous) {
  const run = JSON.parse(previous) as { method?: string; step?: number; images?: number };
  say(
    'resume-note',
    `A ${run.method} run on ${run.images} images reached step ${run.step} before this page was closed. ` +
      'Choose the same images and press Train: it resumes from its last checkpoint.',
  );
}
const backend = new URLSearchParams(location.search).get('backend');
send({ type: 'init', backend: backend === 'cpu' || backend === 'webgl' ? backend : 'auto' });
