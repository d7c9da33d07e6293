/**
 * The studio's training worker: tfjs (WebGL when it works here, else cpu), a vision method
 * built from the registry the CLI uses, core's Trainer with checkpoints in IndexedDB (so a
 * reloaded page resumes), core's kNN probe on the embeddings, and the encoder in tfjs layers
 * format. Everything stays in the browser.
 */
import { embedDataset, knnProbe, layersModelOf, type Method, Rng, Trainer } from '@autodidact/core';
import { ImageDataset, methods } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import type { FromWorker, MethodInfo, ToWorker, TrainRequest } from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let trainer: Trainer | undefined;
let method: Method<tf.Tensor> | undefined;
let dataset: ImageDataset | undefined;
let embeddings: tf.Tensor2D | undefined;
let meta: Record<string, unknown> = {};

/** WebGL first (a worker reaches it through OffscreenCanvas), cpu when it fails. */
async function initBackend(prefer: 'auto' | 'webgl' | 'cpu'): Promise<string> {
  if (prefer !== 'cpu') {
    try {
      if (await tf.setBackend('webgl')) {
        await tf.ready();
        tf.tidy(() => tf.add(tf.ones([2]), tf.ones([2])).dataSync()); // fails here without a GL context
        return 'webgl';
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

function methodList(): MethodInfo[] {
  return methods.list().map((m) => ({
    name: m.name,
    description: m.description,
    defaultOptions: { ...m.defaults },
    batchSize: m.trainerDefaults.batchSize ?? 128,
    lr: m.trainerDefaults.optimizer?.lr ?? 1e-3,
    optimizer: m.trainerDefaults.optimizer?.name ?? 'adam',
    minBatchSize: m.minBatchSize?.size ?? 1,
  }));
}

async function train(req: TrainRequest): Promise<void> {
  const spec = methods.get(req.method);
  dataset = new ImageDataset(req.pixels, req.shape);
  embeddings?.dispose();
  embeddings = undefined;
  const options = { ...spec.defaults, ...req.options };
  if (method) tf.dispose([...method.trainableVariables().values(), ...method.stateVariables().values()]);
  const created = spec.create({ sampleShape: [...req.shape], options, rng: new Rng(req.seed).fork() });
  method = created;
  meta = { method: spec.name, options, shape: req.shape, steps: req.steps };
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
        onTrainStart: (info) =>
          post({
            type: 'start',
            totalSteps: info.totalSteps,
            startStep: info.startStep,
            ...(info.resumedFrom ? { resumedFrom: info.resumedFrom } : {}),
          }),
        onStepEnd: async (info) => {
          const now = performance.now();
          const dt = (now - last) / 1000;
          last = now;
          stepsPerSec = stepsPerSec === 0 ? 1 / dt : 0.8 * stepsPerSec + 0.2 / dt;
          post({
            type: 'step',
            step: info.step,
            loss: info.loss,
            lr: info.lr,
            stepsPerSec,
            ...(info.diagnostics ? { stdRatio: info.diagnostics.stdRatio } : {}),
          });
          // Yield to the event loop so a 'stop' message is read between steps.
          await new Promise((resolve) => setTimeout(resolve, 0));
        },
      },
    ],
  );
  trainer = t;
  const result = await t.fit(dataset);
  trainer = undefined;
  embeddings = embedDataset((b: tf.Tensor) => created.embed(b), dataset, 64) as tf.Tensor2D;
  post({ type: 'done', steps: result.steps, stopped: result.steps < req.steps, embeddings: embeddings.arraySync() });
}

function probe(labels: Int32Array, bank: boolean[], k: number): void {
  if (!embeddings) throw new Error('train first: no embeddings to probe');
  const bankIdx = [...bank.keys()].filter((i) => bank[i] && labels[i]! >= 0);
  const queryIdx = [...bank.keys()].filter((i) => !bank[i] && labels[i]! >= 0);
  if (bankIdx.length === 0 || queryIdx.length === 0) throw new Error('label a few images and leave some to score');
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
    // Chance: always answering the most common class among the scored images.
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
async function exportEncoder(): Promise<void> {
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
      post({ type: 'export', modelJson, weights }, [weights]);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'init') post({ type: 'ready', backend: await initBackend(m.backend), methods: methodList() });
    else if (m.type === 'train') await train(m);
    else if (m.type === 'stop') trainer?.stop('stopped on the page');
    else if (m.type === 'probe') probe(m.labels, m.bank, m.k);
    else if (m.type === 'export') await exportEncoder();
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
