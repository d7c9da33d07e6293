// The quick start a user runs after `npm install @autodidact/core @autodidact/vision`: pretrain
// SimCLR for 20 steps on an MNIST subset, embed the images, print one JSON line.
// Usage: node quick-start.mjs <mnist train-images-idx3-ubyte file>
import { embedDataset, initBackend, Rng, Trainer } from '@autodidact/core';
import { loadIdx, methods } from '@autodidact/vision';

const file = process.argv[2];
if (!file) throw new Error('usage: node quick-start.mjs <mnist train-images-idx3-ubyte>');
const t0 = performance.now();
const backend = await initBackend({ quiet: true });
const data = await loadIdx(file, { limit: 512 });
const method = methods.get('simclr').create({
  sampleShape: [28, 28, 1],
  options: { encoder: 'conv-small', width: 8 },
  rng: new Rng(0),
});
const t1 = performance.now();
const result = await new Trainer(method, { batchSize: 64, steps: 20, seed: 0, quiet: true }).fit(data);
const t2 = performance.now();
const z = embedDataset((batch) => method.embed(batch), data, 128);
const finite = (await z.data()).every(Number.isFinite);
const t3 = performance.now();
console.log(
  JSON.stringify({
    backend: backend.name,
    steps: result.steps,
    firstLoss: result.lossHistory[0],
    finalLoss: result.finalLoss,
    embeddings: z.shape,
    finite,
    seconds: { setup: (t1 - t0) / 1000, train: (t2 - t1) / 1000, embed: (t3 - t2) / 1000 },
  }),
);
z.dispose();
method.dispose();
data.dispose();
