// Quick start, vision: pretrain SimCLR on 10,000 MNIST images for 150 steps, then compare a linear
// probe and kNN on its frozen encoder with the same probes on a random-init encoder.
//   node --conditions=source --import tsx packages/vision/examples/quickstart.ts [steps]
import { embedDataset, initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import { createEncoder, methods } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from './mnist.js';

await initBackend();
const { train, test } = await loadMnist({ train: 10000, test: 2000 });

/** Linear-probe and kNN accuracy of an embedding function, trained on `train`, scored on `test`. */
async function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const trainX = embedDataset(embed, train);
  const testX = embedDataset(embed, test);
  const data = { trainX, trainY: train.labels!, testX, testY: test.labels! };
  const r = { linear: (await linearProbe(data)).accuracy, knn: knnProbe(data).accuracy };
  tf.dispose([trainX, testX]);
  return r;
}

const spec = methods.get('simclr');
const method = spec.create({ sampleShape: [28, 28, 1], options: { encoder: 'conv-small' }, rng: new Rng(0) });
const random = createEncoder(method.encoder.config, new Rng(1));
const before = await probe((x) => random.apply(x, false));

const steps = Number(process.argv[2] ?? 150);
const result = await new Trainer(method, { ...spec.trainerDefaults, batchSize: 128, steps, seed: 0, logEvery: 25 }).fit(
  train,
);
const after = await probe((x) => method.embed(x));

const h = result.lossHistory;
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(`\nSimCLR loss ${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)} over ${steps} steps`);
console.log(`random-init encoder: linear ${pct(before.linear)}, kNN ${pct(before.knn)}`);
console.log(`SimCLR encoder:      linear ${pct(after.linear)}, kNN ${pct(after.knn)}`);
random.dispose();
method.dispose();
