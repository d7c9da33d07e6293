/**
 * Steps per second of the studio test's run in Node, for the table in docs/browser.md beside
 * the browser's: SimCLR (conv-small width 8, head 64/32), batch 32, 300 grey 20×20 images, 30
 * steps after 3 warm-up steps, on the backend named (`native`, `cpu`, ...).
 *
 *   OPENBLAS_NUM_THREADS=1 nice -n 10 node --conditions=source --import tsx tools/browser/studio-speed.ts native
 */
import { initBackend, Rng, Trainer } from '@autodidact/core';
import { ImageDataset, methods } from '@autodidact/vision';

const backend = await initBackend({ prefer: (process.argv[2] ?? 'native') as 'native' });
const rng = new Rng(1);
const pixels = Uint8Array.from({ length: 300 * 20 * 20 }, () => Math.floor(rng.next() * 256));
const data = new ImageDataset(pixels, [20, 20, 1]);
const spec = methods.get('simclr');
const run = async (steps: number) => {
  const method = spec.create({
    sampleShape: [20, 20, 1],
    options: { ...spec.defaults, width: 8, hiddenDim: 64, projectionDim: 32 },
    rng: new Rng(0).fork(),
  });
  const t0 = performance.now();
  await new Trainer(method, {
    ...spec.trainerDefaults,
    batchSize: 32,
    steps,
    optimizer: { name: 'adam', lr: 0.003 },
    quiet: true,
    diagnosticsEvery: 1,
  }).fit(data);
  return (performance.now() - t0) / 1000;
};
const warm = await run(3);
const all = await run(33);
console.log(`${backend.name}: ${(30 / (all - warm)).toFixed(2)} steps/s (simclr, batch 32, 20x20x1)`);
