/**
 * Export sizes and timings for the vision encoders at their default widths (conv-small 32-64-128,
 * mlp 512-128): time to write each format, file sizes, and the time to embed a batch of 256
 * 28x28 images with the live tfjs encoder, the reloaded tfjs export and onnxruntime-node
 * (medians of 7 runs after a warm-up), with the largest difference from the live encoder.
 * `node --conditions=source --import tsx packages/core/src/export/export.bench.ts`
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { initBackend } from '../backend/index.js';
import { loadModality } from '../cli/load-modality.js';
import type { EncoderConfig } from '../methods/encoder.js';
import { Rng } from '../random/rng.js';
import { fileLoadHandler } from './file-io-handler.js';
import { exportOnnx } from './onnx.js';
import { exportTfjsLayers } from './tfjs-layers.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// --smoke (as the tools/bench scripts): one timed run each, only to check the bench works.
const SMOKE = process.argv.includes('--smoke');
async function timeMs(fn: () => Promise<unknown>, runs = SMOKE ? 1 : 7): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return Math.round(median(ts) * 10) / 10;
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const backend = await initBackend({ quiet: true });
const vision = await loadModality('vision');
const configs: EncoderConfig[] = [
  { kind: 'conv-small', modality: 'vision', inputShape: [28, 28, 1], width: 32, blocks: 3, outputDim: 128 },
  { kind: 'mlp', modality: 'vision', inputShape: [28, 28, 1], hidden: [512], outputDim: 128 },
];
const x = tf.randomUniform([256, 28, 28, 1], 0, 1, 'float32', 1);
const xData = (await x.data()) as Float32Array;
const rows: Record<string, unknown>[] = [];
for (const config of configs) {
  const encoder = vision.createEncoder(config, new Rng(0));
  const dir = await mkdtemp(join(tmpdir(), 'autodidact-export-bench-'));
  const tfjsMs = await timeMs(() => exportTfjsLayers(encoder, join(dir, 'tfjs')));
  const onnxMs = await timeMs(() => exportOnnx(encoder, join(dir, 'onnx')));
  const live = encoder.apply(x, false);
  const liveData = (await live.data()) as Float32Array;
  const model = await tf.loadLayersModel(fileLoadHandler(join(dir, 'tfjs', 'model.json')));
  const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
  const input = new ort.Tensor('float32', xData, [256, 28, 28, 1]);
  const reloaded = model.predict(x) as tf.Tensor;
  const onnxOut = (await session.run({ input })).embedding!.data as Float32Array;
  rows.push({
    encoder: config.kind,
    exportMs: { tfjs: tfjsMs, onnx: onnxMs },
    bytes: {
      modelJson: (await stat(join(dir, 'tfjs', 'model.json'))).size,
      weightsBin: (await stat(join(dir, 'tfjs', 'weights.bin'))).size,
      onnx: (await stat(join(dir, 'onnx', 'model.onnx'))).size,
    },
    embed256Ms: {
      [`live tfjs (${backend.name})`]: await timeMs(async () => tf.dispose(await encoder.apply(x, false).data())),
      [`reloaded tfjs (${backend.name})`]: await timeMs(async () => (model.predict(x) as tf.Tensor).data()),
      onnxruntime: await timeMs(() => session.run({ input })),
    },
    maxAbsDiff: {
      reloadedTfjs: maxAbsDiff((await reloaded.data()) as Float32Array, liveData),
      onnx: maxAbsDiff(onnxOut, liveData),
    },
  });
  tf.dispose([live, reloaded]);
  model.dispose();
  await session.release();
  encoder.dispose();
  await rm(dir, { recursive: true, force: true });
}
x.dispose();
for (const r of rows) console.log(JSON.stringify(r));
