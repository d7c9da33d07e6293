/**
 * The studio's training worker: tfjs (WebGL when it works here, else cpu), a method built from
 * the registry the CLI uses (vision, audio or text), core's Trainer with checkpoints in
 * IndexedDB (so a reloaded page resumes), a UMAP map of the embeddings every few steps, core's
 * kNN probe on the embeddings, and the encoder in tfjs layers format and as ONNX. WAV files are
 * decoded by the audio package's reader (wavefile) and resampled as the CLI does; texts are
 * tokenized by a byte-level BPE trained here on the dropped texts. Everything stays in the browser.
 */
import {
  type Dataset,
  embedDataset,
  encoderToOnnx,
  knnProbe,
  layersModelOf,
  type Method,
  type MethodSpec,
  Rng,
  TensorDataset,
  Trainer,
  umap2d,
} from '@autodidact/core';
import { decodeWavMono, fitClip, methods as audioMethods } from '@autodidact/audio';
import {
  describeTokenizer,
  setActiveTokenizer,
  methods as textMethods,
  trainBpe,
  windowsOfTexts,
} from '@autodidact/text';
import { ImageDataset, methods as visionMethods } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import type {
  FromWorker,
  LoaderSettings,
  MethodInfo,
  RawFile,
  StudioModality,
  ToWorker,
  TrainRequest,
} from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

const REGISTRIES = { image: visionMethods, audio: audioMethods, text: textMethods } as const;
/** Samples drawn on the embedding map (the first ones). */
const MAP_SAMPLES = 500;

let trainer: Trainer | undefined;
let method: Method<tf.Tensor> | undefined;
let dataset: Dataset<tf.Tensor> | undefined;
/** Audio or text samples from the last 'load'. */
let loaded: { modality: 'audio' | 'text'; dataset: TensorDataset } | undefined;
let embeddings: tf.Tensor2D | undefined;
let meta: Record<string, unknown> = {};

/** WebGL first (a worker reaches it through OffscreenCanvas), cpu when it fails; why, in `notes`. */
async function initBackend(prefer: 'auto' | 'webgl' | 'cpu', notes: string[]): Promise<string> {
  // tfjs's WebGPU and wasm backends are separate packages (not dependencies here): say what the browser offers.
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  notes.push(
    !gpu
      ? 'webgpu: not exposed by this browser'
      : `webgpu: navigator.gpu ${adapter ? 'gives an adapter' : 'gives no adapter'}; tfjs-backend-webgpu is not bundled`,
  );
  if (prefer !== 'cpu') {
    try {
      if (await tf.setBackend('webgl')) {
        await tf.ready();
        tf.tidy(() => tf.add(tf.ones([2]), tf.ones([2])).dataSync()); // fails here without a GL context
        return 'webgl';
      }
      notes.push('webgl: tfjs could not set it up');
    } catch (err) {
      notes.push(`webgl: ${(err as Error).message}`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

function methodList(registry: { list(): MethodSpec<tf.Tensor>[] }): MethodInfo[] {
  return registry.list().map((m) => ({
    name: m.name,
    description: m.description,
    defaultOptions: { ...m.defaults },
    batchSize: m.trainerDefaults.batchSize ?? 128,
    lr: m.trainerDefaults.optimizer?.lr ?? 1e-3,
    optimizer: m.trainerDefaults.optimizer?.name ?? 'adam',
    minBatchSize: m.minBatchSize?.size ?? 1,
  }));
}

/** WAV files -> mono clips `[n, clipSamples]` at the chosen rate, as the CLI's audio loader makes them. */
function loadAudio(files: RawFile[], s: LoaderSettings): FromWorker {
  const clip = Math.max(1, Math.round(s.clipSeconds * s.sampleRate));
  const rows: Float32Array[] = [];
  const fileOf: number[] = [];
  const skipped: string[] = [];
  const previews: string[] = [];
  files.forEach((f, i) => {
    try {
      const wav = decodeWavMono(new Uint8Array(f.bytes), f.path, { sampleRate: s.sampleRate });
      const row = new Float32Array(clip);
      fitClip(wav.samples, clip, row);
      rows.push(row);
      fileOf.push(i);
      previews.push(`${(wav.samples.length / s.sampleRate).toFixed(2)} s`);
    } catch (err) {
      skipped.push(`${f.path}: ${(err as Error).message}`);
    }
  });
  const data = new Float32Array(rows.length * clip);
  rows.forEach((r, i) => {
    data.set(r, i * clip);
  });
  setLoaded('audio', tf.tensor2d(data, [rows.length, clip]));
  return {
    type: 'loaded',
    modality: 'audio',
    fileOf: Int32Array.from(fileOf),
    sampleShape: [clip],
    skipped,
    summary: `${rows.length} clips of ${s.clipSeconds} s at ${s.sampleRate} Hz`,
    previews,
  };
}

/** Texts -> token windows `[n, contextLength]` (int32) through a byte-level BPE trained on them; each file's windows are its samples. */
async function loadText(files: RawFile[], s: LoaderSettings): Promise<FromWorker> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts: { i: number; text: string }[] = [];
  const skipped: string[] = [];
  files.forEach((f, i) => {
    try {
      const text = decoder.decode(f.bytes);
      if (text.trim() === '') skipped.push(`${f.path}: no text`);
      else texts.push({ i, text });
    } catch {
      skipped.push(`${f.path}: not UTF-8 text`);
    }
  });
  const lines = texts.flatMap((t) => t.text.split('\n'));
  const tokenizer = await trainBpe(lines, { vocabSize: s.vocabSize });
  const active = describeTokenizer(tokenizer, tokenizer.toJSON());
  // The text methods read the vocabulary size and special ids from the active tokenizer.
  setActiveTokenizer(active);
  const windows: Int32Array[] = [];
  const fileOf: number[] = [];
  const previews: string[] = [];
  for (const t of texts) {
    const w = windowsOfTexts([tokenizer.encode(t.text)], {
      contextLength: s.contextLength,
      eosId: active.eosId,
      padId: active.padId,
      limit: s.windowsPerFile,
    });
    for (let k = 0; k < w.length / s.contextLength; k++) {
      windows.push(w.subarray(k * s.contextLength, (k + 1) * s.contextLength));
      fileOf.push(t.i);
      previews.push(k === 0 ? t.text.slice(0, 60) : `(window ${k + 1})`);
    }
  }
  const data = new Int32Array(windows.length * s.contextLength);
  windows.forEach((w, i) => {
    data.set(w, i * s.contextLength);
  });
  setLoaded('text', tf.tensor2d(data, [windows.length, s.contextLength], 'int32'));
  return {
    type: 'loaded',
    modality: 'text',
    fileOf: Int32Array.from(fileOf),
    sampleShape: [s.contextLength],
    skipped,
    summary: `${windows.length} windows of ${s.contextLength} tokens (byte-level BPE, ${tokenizer.vocabSize} tokens, trained on these texts)`,
    previews,
  };
}

function setLoaded(modality: 'audio' | 'text', x: tf.Tensor): void {
  loaded?.dataset.dispose();
  loaded = { modality, dataset: new TensorDataset(x) };
}

/** The first `n` samples of `ds`, as a dataset (no copy). */
function head(ds: Dataset<tf.Tensor>, n: number): Dataset<tf.Tensor> {
  return { size: Math.min(n, ds.size), getBatch: (indices) => ds.getBatch(indices) };
}

/** UMAP of the current embeddings of the first samples, posted to the page. */
function postMap(m: Method<tf.Tensor>, ds: Dataset<tf.Tensor>, step: number, seed: number): void {
  const t0 = performance.now();
  const sample = head(ds, MAP_SAMPLES);
  if (sample.size < 3) return;
  const e = embedDataset((b: tf.Tensor) => m.embed(b) as tf.Tensor2D, sample, 64);
  const values = e.dataSync();
  const [n, dim] = e.shape;
  e.dispose();
  if (!values.every(Number.isFinite)) return;
  const points = umap2d(values, n, dim, { rng: new Rng(seed), nEpochs: 150 });
  post({ type: 'map', step, points, millis: performance.now() - t0 }, [points.buffer]);
}

async function train(req: TrainRequest): Promise<void> {
  const spec = REGISTRIES[req.modality].get(req.method);
  let ds: Dataset<tf.Tensor>;
  let sampleShape: number[];
  if (req.modality === 'image') {
    if (!req.pixels || !req.shape) throw new Error('no images to train on');
    ds = new ImageDataset(req.pixels, req.shape);
    sampleShape = [...req.shape];
  } else {
    if (loaded?.modality !== req.modality) throw new Error(`no ${req.modality} files loaded`);
    ds = loaded.dataset;
    sampleShape = [...loaded.dataset.sampleShape];
  }
  if (dataset && dataset !== loaded?.dataset) dataset.dispose?.();
  dataset = ds;
  embeddings?.dispose();
  embeddings = undefined;
  const options = { ...spec.defaults, ...req.options };
  if (method) tf.dispose([...method.trainableVariables().values(), ...method.stateVariables().values()]);
  const created = spec.create({ sampleShape, options, rng: new Rng(req.seed).fork() });
  method = created;
  meta = { modality: req.modality, method: spec.name, options, sampleShape, steps: req.steps };
  let last = performance.now();
  let stepsPerSec = 0;
  const t: Trainer = new Trainer(
    created,
    {
      ...spec.trainerDefaults,
      batchSize: req.batchSize,
      steps: req.steps,
      seed: req.seed,
      optimizer: { ...(spec.trainerDefaults.optimizer ?? { name: 'adam' }), lr: req.lr },
      checkpointDir: req.checkpointDir,
      checkpointEvery: req.checkpointEvery,
      checkpointEverySeconds: 30,
      resume: !req.startOver,
      diagnosticsEvery: 1,
      quiet: true,
    },
    [
      {
        onTrainStart: (info) => {
          post({
            type: 'start',
            totalSteps: info.totalSteps,
            startStep: info.startStep,
            ...(info.resumedFrom ? { resumedFrom: info.resumedFrom } : {}),
          });
          postMap(created, ds, info.startStep, req.seed);
          last = performance.now();
        },
        onStepEnd: async (info) => {
          const now = performance.now();
          const dt = (now - last) / 1000;
          stepsPerSec = stepsPerSec === 0 ? 1 / dt : 0.8 * stepsPerSec + 0.2 / dt;
          post({
            type: 'step',
            step: info.step,
            loss: info.loss,
            lr: info.lr,
            stepsPerSec,
            ...(info.diagnostics ? { stdRatio: info.diagnostics.stdRatio } : {}),
          });
          if (req.mapEvery > 0 && info.step % req.mapEvery === 0 && info.step < req.steps) {
            postMap(created, ds, info.step, req.seed);
          }
          // Yield to the event loop so a 'stop' message is read between steps.
          await new Promise((resolve) => setTimeout(resolve, 0));
          // The map's time is not a training step's.
          last = performance.now();
        },
      },
    ],
  );
  trainer = t;
  const result = await t.fit(ds);
  trainer = undefined;
  postMap(created, ds, result.steps, req.seed);
  embeddings = embedDataset((b: tf.Tensor) => created.embed(b) as tf.Tensor2D, ds, 64);
  post({ type: 'done', steps: result.steps, stopped: result.steps < req.steps, embeddings: embeddings.arraySync() });
}

function probe(labels: Int32Array, bank: boolean[], k: number): void {
  if (!embeddings) throw new Error('train first: no embeddings to probe');
  const bankIdx = [...bank.keys()].filter((i) => bank[i] && labels[i]! >= 0);
  const queryIdx = [...bank.keys()].filter((i) => !bank[i] && labels[i]! >= 0);
  if (bankIdx.length === 0 || queryIdx.length === 0) throw new Error('label a few samples and leave some to score');
  const numClasses = Math.max(...labels) + 1;
  const trainX = tf.gather(embeddings, bankIdx) as tf.Tensor2D;
  const testX = tf.gather(embeddings, queryIdx) as tf.Tensor2D;
  try {
    const r = knnProbe({
      trainX,
      trainY: Int32Array.from(bankIdx, (i) => labels[i]!),
      testX,
      testY: Int32Array.from(queryIdx, (i) => labels[i]!),
      numClasses,
      k: Math.min(k, bankIdx.length),
    });
    // Chance: always answering the most common class among the scored samples.
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of queryIdx) counts[labels[i]!]!++;
    post({
      type: 'probe',
      accuracy: r.accuracy,
      nBank: bankIdx.length,
      nQuery: queryIdx.length,
      k: Math.min(k, bankIdx.length),
      chance: Math.max(...counts) / queryIdx.length,
      predictions: [...r.predictions],
    });
  } finally {
    tf.dispose([trainX, testX]);
  }
}

/** The encoder as tfjs layers files (model.json + weights.bin), as core's exportTfjsLayers writes them. */
async function exportTfjs(): Promise<void> {
  if (!method) throw new Error('train first: no encoder to export');
  const encoder = method.encoder;
  const model = layersModelOf(encoder);
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weights = a.weightData as ArrayBuffer;
      const modelJson = JSON.stringify({
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        userDefinedMetadata: {
          autodidact: { format: 'autodidact-export', version: 1, encoderConfig: encoder.config, studio: meta },
        },
      });
      post({ type: 'export', format: 'tfjs', modelJson, weights }, [weights]);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** The encoder as ONNX bytes (core's encoderToOnnx, what `autodidact export --format onnx` writes). */
function exportOnnx(): void {
  if (!method) throw new Error('train first: no encoder to export');
  const bytes = encoderToOnnx(method.encoder, { metadata: { studio: meta } });
  const onnx = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  post({ type: 'export', format: 'onnx', onnx }, [onnx]);
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'init') {
      const notes: string[] = [];
      const backend = await initBackend(m.backend, notes);
      const all = Object.fromEntries(
        Object.entries(REGISTRIES).map(([k, r]) => [k, methodList(r as { list(): MethodSpec<tf.Tensor>[] })]),
      ) as Record<StudioModality, MethodInfo[]>;
      post({ type: 'ready', backend, notes, methods: all });
    } else if (m.type === 'load')
      post(m.modality === 'audio' ? loadAudio(m.files, m.settings) : await loadText(m.files, m.settings));
    else if (m.type === 'train') await train(m);
    else if (m.type === 'stop') trainer?.stop('stopped on the page');
    else if (m.type === 'probe') probe(m.labels, m.bank, m.k);
    else if (m.type === 'export') {
      if (m.format === 'onnx') exportOnnx();
      else await exportTfjs();
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
