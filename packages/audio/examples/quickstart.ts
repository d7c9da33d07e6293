// Quick start, audio: pretrain wav2vec on the spoken digits of six accents, then compare a linear
// probe and kNN (trained on those accents, scored on two held-out accents) on its frozen encoder
// with the same probes on a random-init encoder.
//   node --conditions=source --import tsx packages/audio/examples/quickstart.ts [steps]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEncoder, loadWavFolder, methods } from '@autodidact/audio';
import { embedDataset, env, initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

const dir = join(env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data'), 'spoken-digits', '.splits');
if (!existsSync(dir)) {
  console.error(`spoken digits not found in ${dir}; make them with: npx autodidact data fetch spoken-digits`);
  process.exit(1);
}
await initBackend();
const clip = { sampleRate: 16000, clipSamples: 16000, requireLabels: true };
const train = await loadWavFolder(join(dir, 'train'), clip); // [720, 16000]
const test = await loadWavFolder(join(dir, 'test'), clip); // [240, 16000]

/** Linear-probe and kNN accuracy on features standardised with the training set's statistics. */
async function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const [trainX, testX] = tf.tidy(() => {
    const a = embedDataset(embed, train, 32);
    const b = embedDataset(embed, test, 32);
    const { mean, variance } = tf.moments(a, 0);
    const std = tf.sqrt(tf.add(variance, 1e-6));
    return [tf.div(tf.sub(a, mean), std), tf.div(tf.sub(b, mean), std)] as tf.Tensor2D[];
  });
  const data = { trainX: trainX!, trainY: train.labels!, testX: testX!, testY: test.labels! };
  const r = { linear: (await linearProbe(data)).accuracy, knn: knnProbe({ ...data, k: 10 }).accuracy };
  tf.dispose([trainX!, testX!]);
  return r;
}

const spec = methods.get('wav2vec');
const method = spec.create({ sampleShape: [16000], options: { width: 64, contextDim: 64 }, rng: new Rng(0) });
const random = createEncoder(method.encoder.config, new Rng(1));
const before = await probe((x) => random.apply(x, false));

const steps = Number(process.argv[2] ?? 200);
const result = await new Trainer(method, {
  ...spec.trainerDefaults,
  batchSize: 16,
  steps,
  seed: 0,
  logEvery: 10,
  diagnosticsEvery: 0,
}).fit(train);
const after = await probe((x) => method.embed(x));

const h = result.lossHistory;
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(`\nwav2vec loss ${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)} over ${steps} steps`);
console.log(`random-init encoder: linear ${pct(before.linear)}, kNN ${pct(before.knn)} (held-out accents)`);
console.log(`wav2vec encoder:     linear ${pct(after.linear)}, kNN ${pct(after.knn)}`);
random.dispose();
method.dispose();
