// Convergence check for the audio methods on the espeak-ng spoken digits: pretrain each method
// for a fixed number of steps on the unlabelled clips of six accents, then linear-probe and kNN
// accuracy of its frozen encoder, with the probe trained on those six accents and scored on two
// held-out accents (voices it never heard), beside the same probes on a randomly initialised
// encoder of the same architecture and on log-mel features (per-band mean and std over time).
// Fails (exit 1) when a method does not beat its random-init encoder by MARGIN on either probe.
//
//   node --conditions=source --import tsx tools/bench/audio-convergence.ts \
//     [--steps N] [--methods wav2vec2,wav2vec,cpc] [--batch-size N] [--width N] [--margin X] [--markdown FILE]
// Needs: npx autodidact data fetch spoken-digits
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEncoder, LogMel, loadWavFolder, logMelStats, methods, type WavDataset } from '@autodidact/audio';
import { embedDataset, initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { benchFlags, SMOKE } from './smoke.js';

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags({ steps: '2', 'batch-size': '4', width: '16' }, args);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'wav2vec2,wav2vec,cpc').split(',');
const batchSize = Number(flag('batch-size', '16'));
const width = Number(flag('width', '64'));
const MARGIN = Number(flag('margin', '0.02'));
const markdown = flag('markdown', '');

const backend = await initBackend();
const dir = join(process.env.AUTODIDACT_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'data'), 'spoken-digits');
const clip = { sampleRate: 16000, clipSamples: 16000, requireLabels: true };
const train: WavDataset = await loadWavFolder(join(dir, '.splits', 'train'), clip);
const test: WavDataset = await loadWavFolder(join(dir, '.splits', 'test'), clip);

/** Standardises both sets with the training set's statistics (the kNN probe uses cosine). */
function standardise(trainX: tf.Tensor2D, testX: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(trainX, 0);
    const std = tf.sqrt(tf.add(variance, 1e-6));
    return [tf.div(tf.sub(trainX, mean), std), tf.div(tf.sub(testX, mean), std)] as [tf.Tensor2D, tf.Tensor2D];
  });
}

function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const rawTrain = embedDataset(embed, train, 32);
  const rawTest = embedDataset(embed, test, 32);
  const [trainX, testX] = standardise(rawTrain, rawTest);
  const data = { trainX, trainY: train.labels!, testX, testY: test.labels! };
  const r = { linear: linearProbe(data).accuracy, knn: knnProbe({ ...data, k: 10 }).accuracy };
  tf.dispose([rawTrain, rawTest, trainX, testX]);
  return r;
}

type Row = { name: string; linear: number; knn: number; seconds?: number; loss?: string };
const rows: Row[] = [];
const logMel = new LogMel();
rows.push({
  name: 'log-mel (40 bands, mean + std over time)',
  ...probe((x) => tf.tidy(() => logMelStats(logMel.apply(x as tf.Tensor2D)))),
});
let failed = false;
for (const name of names) {
  const spec = methods.get(name);
  const method = spec.create({ sampleShape: [16000], options: { width, contextDim: width }, rng: new Rng(0) });
  const r = createEncoder(method.encoder.config, new Rng(1));
  const random = probe((x) => r.apply(x, false));
  r.dispose();
  rows.push({ name: `random-init ${name} encoder`, ...random });
  const t0 = Date.now();
  const result = await new Trainer(method, {
    ...spec.trainerDefaults,
    batchSize,
    steps,
    seed: 0,
    resume: false,
    logEvery: 25,
    diagnosticsEvery: 0,
  }).fit(train);
  const seconds = (Date.now() - t0) / 1000;
  const h = result.lossHistory;
  const acc = probe((x) => method.embed(x));
  rows.push({ name, ...acc, seconds, loss: `${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)}` });
  console.log(
    `${name}: linear ${acc.linear.toFixed(3)}, kNN ${acc.knn.toFixed(3)} (random init ${random.linear.toFixed(3)}, ${random.knn.toFixed(3)})`,
  );
  if (acc.linear < random.linear + MARGIN && acc.knn < random.knn + MARGIN) failed = true;
  method.dispose();
}

const lines = [
  `Spoken digits (espeak-ng): pretraining on the ${train.size} unlabelled 1 s clips of 6 accents, ${steps} steps of batch ${batchSize}, encoder width ${width}, backend ${backend.name}. Linear probe and kNN (k=10, cosine on standardised features) trained on those ${train.size} labelled clips, scored on ${test.size} clips of 2 held-out accents. ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| features | linear probe | kNN | pretraining time | loss (first -> last step) |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.linear.toFixed(3)} | ${r.knn.toFixed(3)} | ${r.seconds ? `${r.seconds.toFixed(0)} s` : ''} | ${r.loss ?? ''} |`,
  ),
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
logMel.dispose();
train.dispose();
test.dispose();
if (failed && !SMOKE) {
  console.error(`a method did not beat its random-init encoder by ${MARGIN} on either probe`);
  process.exit(1);
}
