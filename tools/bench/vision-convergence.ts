// Convergence check for the vision methods on real MNIST / Fashion-MNIST: pretrain each method
// for a fixed number of steps, then linear-probe and kNN accuracy of its frozen encoder on the
// test set, beside the same probes on a randomly initialised encoder of the same architecture
// and on raw pixels. Fails (exit 1) when a method does not beat the random encoder by MARGIN.
//
//   npm run bench:vision -- [--set mnist|fashion-mnist] [--steps N] [--methods simclr,byol,autoencoder]
//                           [--encoder conv-small|mlp] [--width N] [--batch-size N] [--probe-train N] [--markdown FILE]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedDataset, initBackend, knnProbe, linearProbe, Rng, type TensorDataset, Trainer } from '@autodidact/core';
import { createEncoder, loadIdx, methods } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { benchFlags, SMOKE } from './smoke.js';

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags({ steps: '2', 'batch-size': '16', 'probe-train': '200' }, args);
const set = flag('set', 'mnist');
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'simclr,byol,autoencoder').split(',');
const encoder = flag('encoder', 'conv-small');
const width = Number(flag('width', '16'));
const batchSize = Number(flag('batch-size', '256'));
const probeTrain = Number(flag('probe-train', '10000'));
const MARGIN = Number(flag('margin', '0.02'));
const markdown = flag('markdown', '');

const backend = await initBackend();
const dir = join(process.env.AUTODIDACT_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'data'), set);
const gz = set === 'mnist' ? '' : '.gz';
const train = await loadIdx(join(dir, `train-images-idx3-ubyte${gz}`));
const test = await loadIdx(join(dir, `t10k-images-idx3-ubyte${gz}`));
const probeSet = train.slice(0, probeTrain);

function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const trainX = embedDataset(embed, probeSet);
  const testX = embedDataset(embed, test);
  const data = { trainX, trainY: probeSet.labels!, testX, testY: test.labels! };
  const r = { linear: linearProbe(data).accuracy, knn: knnProbe(data).accuracy };
  tf.dispose([trainX, testX]);
  return r;
}

const rows: { name: string; linear: number; knn: number; seconds?: number; loss?: string }[] = [];
rows.push({ name: 'raw pixels', ...probe((x) => x.reshape([x.shape[0]!, -1]) as tf.Tensor2D) });
let random: { linear: number; knn: number } | undefined;
let failed = false;
for (const name of names) {
  const spec = methods.get(name);
  const method = spec.create({ sampleShape: [28, 28, 1], options: { encoder, width }, rng: new Rng(0) });
  if (!random) {
    const r = createEncoder(method.encoder.config, new Rng(1));
    random = probe((x) => r.apply(x, false));
    rows.push({ name: `random-init ${encoder}`, ...random });
    r.dispose();
  }
  const t0 = Date.now();
  const result = await new Trainer(method, {
    ...spec.trainerDefaults,
    batchSize,
    steps,
    seed: 0,
    resume: false,
    logEvery: 50,
  }).fit(train as TensorDataset);
  const seconds = (Date.now() - t0) / 1000;
  const h = result.lossHistory;
  const acc = probe((x) => method.embed(x));
  rows.push({ name, ...acc, seconds, loss: `${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)}` });
  if (acc.linear < random.linear + MARGIN && acc.knn < random.knn + MARGIN) failed = true;
  method.dispose();
}

const lines = [
  `${set}, ${steps} pretraining steps of batch ${batchSize}, ${encoder}${encoder === 'conv-small' ? ` (width ${width})` : ''} encoder, backend ${backend.name}; linear probe and kNN (k=20) trained on ${probeSet.size} labelled training images, scored on ${test.size} test images.`,
  '',
  '| encoder | linear probe | kNN | pretraining time | loss (first -> last step) |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.linear.toFixed(3)} | ${r.knn.toFixed(3)} | ${r.seconds ? `${r.seconds.toFixed(0)} s` : ''} | ${r.loss ?? ''} |`,
  ),
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
if (failed && !SMOKE) {
  console.error(`a method did not beat the random-init encoder by ${MARGIN} on either probe`);
  process.exit(1);
}
