// Quick start, genomics: pretrain Self-GenomeNet on 512 bp windows of twelve bacterial genomes,
// then compare linear-probe and kNN accuracy for the species of 1 kb windows of four held-out
// strains on its frozen encoder with the same probes on a random-init encoder.
// At this CPU budget the pretrained encoder does not yet beat the random one on this probe (see
// the package README's Results); pass a larger step count to train longer.
//   node --conditions=source --import tsx packages/genomics/examples/quickstart.ts [steps]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { embedDataset, env, initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import { createEncoder, loadLabeledWindows, methods, type WindowDataset } from '@autodidact/genomics';
import * as tf from '@tensorflow/tfjs';

const dir = join(env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data'), 'bacteria');
if (!existsSync(dir)) {
  console.error(`bacterial genomes not found in ${dir}; fetch them with: npx autodidact data fetch bacteria`);
  process.exit(1);
}
await initBackend();
const pretrainData = await loadLabeledWindows(join(dir, 'train'), { length: 512 }); // one-hot [n, 512, 4]
/** `n` windows evenly spaced over the dataset (classes in proportion). */
const spread = (ds: WindowDataset, n: number) =>
  ds.subset(Array.from({ length: n }, (_, i) => Math.floor((i * ds.size) / n)));
const train = spread(await loadLabeledWindows(join(dir, 'train'), { length: 1000 }), 2000);
const test = spread(await loadLabeledWindows(join(dir, 'test'), { length: 1000 }), 1000);

async function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const data = {
    trainX: embedDataset(embed, train, 256),
    trainY: train.labels!,
    testX: embedDataset(embed, test, 256),
    testY: test.labels!,
  };
  const r = { linear: (await linearProbe(data)).accuracy, knn: knnProbe(data).accuracy };
  tf.dispose([data.trainX, data.testX]);
  return r;
}

const spec = methods.get('self-genomenet');
const method = spec.create({ sampleShape: [512, 4], options: { width: 32, hidden: 32 }, rng: new Rng(0) });
const random = createEncoder(method.encoder.config, new Rng(1));
const before = await probe((x) => random.apply(x, false));

const steps = Number(process.argv[2] ?? 80);
const result = await new Trainer(method, {
  ...spec.trainerDefaults,
  batchSize: 32,
  steps,
  seed: 0,
  logEvery: 10,
  diagnosticsEvery: 0,
}).fit(pretrainData);
const after = await probe((x) => method.embed(x));

const h = result.lossHistory;
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(`\nSelf-GenomeNet loss ${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)} over ${steps} steps`);
console.log(`species of 1 kb windows of held-out strains (4 classes, chance 25%):`);
console.log(`random-init encoder:    linear ${pct(before.linear)}, kNN ${pct(before.knn)}`);
console.log(`Self-GenomeNet encoder: linear ${pct(after.linear)}, kNN ${pct(after.knn)}`);
random.dispose();
method.dispose();
