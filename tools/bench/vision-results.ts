// Results table of the vision methods on real MNIST / Fashion-MNIST: each method pretrains for a
// fixed wall-clock budget (its step count is set from a short timing run, so the learning-rate
// and momentum schedules complete), then its frozen encoder is probed (linear + kNN, k = 20) on
// the test set, beside a randomly initialised encoder of the same architecture and raw pixels.
// Prints a markdown table (and writes it to --markdown FILE after every method, so a cut-short
// run keeps what it measured). Exits 1 naming every method that beats the random encoder by
// less than --margin on both probes.
//
//   node --conditions=source --import tsx tools/bench/vision-results.ts \
//     [--set mnist|fashion-mnist] [--budget-seconds 90] [--methods simclr,byol,...|all]
//     [--batch-size N (default: each method's own)] [--probe-train 10000] [--labeled 1000]
//     [--test-limit 10000] [--margin 0.02] [--markdown FILE]
//
// A --methods entry may carry options: `byol:baseMomentum=0.9` trains BYOL with that option
// (numbers, booleans and strings are parsed; the row is named by the whole entry).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  embedDataset,
  initBackend,
  knnProbe,
  linearProbe,
  Rng,
  type StepInfo,
  type TensorDataset,
  Trainer,
} from '@autodidact/core';
import { createEncoder, loadIdx, methods, S4L } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';

const args = process.argv.slice(2);
const flag = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const ALL =
  'simclr,moco,byol,directpred,simsiam,barlow-twins,vicreg,autoencoder,mae,rotation,context,jigsaw,multi-task,s4l';
const set = flag('set', 'mnist');
const budget = Number(flag('budget-seconds', '90'));
const methodArg = flag('methods', 'all');
// `all` stands for every registered method and may be followed by more entries.
const entries = methodArg.split(',').flatMap((e) => (e === 'all' ? ALL.split(',') : e ? [e] : []));
const batchOverride = flag('batch-size', '');
const probeTrain = Number(flag('probe-train', '10000'));
const testLimit = Number(flag('test-limit', '10000'));
const labeled = Number(flag('labeled', '1000'));
const MARGIN = Number(flag('margin', '0.02'));
const markdown = flag('markdown', '');

const backend = await initBackend();
const dir = join(process.env.AUTODIDACT_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'data'), set);
const gz = set === 'mnist' ? '' : '.gz';
const train = await loadIdx(join(dir, `train-images-idx3-ubyte${gz}`));
const test = await loadIdx(join(dir, `t10k-images-idx3-ubyte${gz}`), { limit: testLimit });
const probeSet = train.slice(0, probeTrain);
const started = new Date();

function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const trainX = embedDataset(embed, probeSet);
  const testX = embedDataset(embed, test);
  const data = { trainX, trainY: probeSet.labels!, testX, testY: test.labels! };
  const r = { linear: linearProbe(data).accuracy, knn: knnProbe(data).accuracy };
  tf.dispose([trainX, testX]);
  return r;
}

/** `name:key=value:...` -> the method name and its options. */
function parseEntry(entry: string): { name: string; options: Record<string, unknown> } {
  const [name, ...kv] = entry.split(':');
  const options: Record<string, unknown> = {};
  for (const pair of kv) {
    const [k, v] = pair.split('=') as [string, string];
    options[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return { name: name!, options };
}

function build(name: string, options: Record<string, unknown>, seed: number) {
  const method = methods.get(name).create({ sampleShape: [28, 28, 1], options, rng: new Rng(seed) });
  if (method instanceof S4L) {
    // S4L's labelled set: the first `labeled` training images with their labels.
    const x = train.inputs.slice(0, labeled) as tf.Tensor4D;
    method.setLabeled(x, train.labels!.slice(0, labeled));
    x.dispose();
  }
  return method;
}

interface Row {
  name: string;
  linear: number;
  knn: number;
  steps?: number;
  batch?: number;
  seconds?: number;
  loss?: string;
  note?: string;
}
const rows: Row[] = [];
const failed: string[] = [];

const table = () => [
  `${set}: each method pretrained for a budget of ${budget} s wall-clock on 2 shared CPU cores (steps set from a ` +
    `timing run), conv-small encoder (width 16, 64-d), backend ${backend.name}; linear probe and kNN (k=20) fitted on ` +
    `${probeSet.size} labelled training images, scored on ${test.size} test images. Run ${started.toISOString().slice(0, 10)}.`,
  '',
  '| encoder | linear probe | kNN | steps x batch | pretraining time | loss (first -> mean of last 10) |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.linear.toFixed(3)} | ${r.knn.toFixed(3)} | ` +
      `${r.steps ? `${r.steps} x ${r.batch}` : ''} | ${r.seconds ? `${r.seconds.toFixed(0)} s` : ''} | ${r.loss ?? ''} |`,
  ),
];
const save = () => {
  if (markdown) writeFileSync(markdown, `${table().join('\n')}\n`);
};

rows.push({ name: 'raw pixels', ...probe((x) => x.reshape([x.shape[0]!, -1]) as tf.Tensor2D) });
const reference = build('simclr', {}, 0);
const randomEncoder = createEncoder(reference.encoder.config, new Rng(1));
reference.dispose();
const random = probe((x) => randomEncoder.apply(x, false));
randomEncoder.dispose();
rows.push({ name: 'random-init conv-small', ...random });
save();

for (const entry of entries) {
  const { name, options } = parseEntry(entry);
  const spec = methods.get(name);
  const batchSize = batchOverride ? Number(batchOverride) : (spec.trainerDefaults.batchSize ?? 256);
  const base = { ...spec.trainerDefaults, batchSize, seed: 0, resume: false, quiet: true } as const;
  // Timing run: 4 steps of a throwaway copy; the median of the last 3 sets the step count.
  const probeMethod = build(name, options, 0);
  const times: number[] = [];
  let last = performance.now();
  const timer = {
    onStepEnd: (_: StepInfo) => {
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
  };
  await new Trainer(probeMethod, { ...base, steps: 4 }, [timer]).fit(train as TensorDataset);
  probeMethod.dispose();
  const stepMs = times.slice(1).sort((a, b) => a - b)[1]!;
  const steps = Math.max(10, Math.floor((budget * 1000) / stepMs));

  const method = build(name, options, 0);
  const t0 = Date.now();
  const guard: { onStepEnd: (i: StepInfo) => void } = {
    // If the machine slows down mid-run, stop at 1.5x the budget rather than overrun the table.
    onStepEnd: () => {
      if (Date.now() - t0 > 1500 * budget) trainer.stop('over budget');
    },
  };
  const trainer = new Trainer(method, { ...base, steps, logEvery: 1000 }, [guard]);
  const result = await trainer.fit(train as TensorDataset);
  const seconds = (Date.now() - t0) / 1000;
  const h = result.lossHistory;
  const tail = h.slice(-10);
  const acc = probe((x) => method.embed(x));
  const row: Row = {
    name: entry,
    ...acc,
    steps: result.steps,
    batch: batchSize,
    seconds,
    loss: `${h[0]!.toFixed(3)} -> ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(3)}`,
    ...(name === 's4l' ? { note: `${labeled} labels` } : {}),
  };
  rows.push(row);
  if (acc.linear < random.linear + MARGIN && acc.knn < random.knn + MARGIN) failed.push(entry);
  process.stderr.write(
    `${set} ${entry}: ${result.steps} steps (planned ${steps}) in ${seconds.toFixed(0)} s, linear ${acc.linear.toFixed(3)}, kNN ${acc.knn.toFixed(3)}\n`,
  );
  method.dispose();
  save();
}

console.log(table().join('\n'));
if (failed.length > 0) {
  console.error(
    `${set}: did not beat the random-init encoder by ${MARGIN} on either probe: ${failed.join(', ')} ` +
      `(random init: linear ${random.linear.toFixed(3)}, kNN ${random.knn.toFixed(3)})`,
  );
  process.exit(1);
}
