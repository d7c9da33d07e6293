// Convergence and data-efficiency check for the genomics methods on real bacterial genomes:
// species of origin (4 species) with one strain per species held out for testing; and, as a
// transfer task, yeast coding vs intergenic 150 bp windows (train chrII, test chrI). Each method
// pretrains for a fixed number of steps on windows of the twelve training genomes; then linear
// and kNN probes on its frozen, strand-averaged embeddings of 150 bp and 1 kb windows, beside
// the same probes on a randomly initialised encoder of the same architecture and on canonical
// 4-mer frequencies; and the data-efficiency curve: the linear probe with 1%, 10% and 100% of
// the training labels. Exits 1 when a method does not beat the random encoder by --margin on
// the 1 kb linear probe.
//
//   node --conditions=source --import tsx tools/bench/genomics-convergence.ts [--steps 3000]
//     [--methods self-genomenet,cpc,mlm] [--length 256] [--width 32] [--batch-size 32]
//     [--probe-train 2000] [--probe-test 1000] [--margin 0.02] [--seed 0] [--markdown FILE]
//     [--finetune-steps 150] [--finetune-lr 0.001] [--lr <method default>] [--warmup 20]
//     [--method-options '{"self-genomenet":{"maxGap":6}}']
//
// Fine-tuning probe (the paper's comparison): the whole encoder plus a linear head trained with
// Adam on 1% / 10% of the 150 bp species labels for --finetune-steps steps of batch 32, from the
// pretrained weights and from the random init, same steps, same label draw, same seed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Encoder, embedDataset, initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import {
  createEncoder,
  encodeBases,
  kmerFrequencies,
  loadLabeledWindows,
  methods,
  readFasta,
  readGff3,
  regionWindows,
  WindowDataset,
} from '@autodidact/genomics';
import * as tf from '@tensorflow/tfjs';
import { benchFlags, SMOKE } from './smoke.js';

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  { steps: '2', 'batch-size': '8', 'probe-train': '100', 'probe-test': '50', 'finetune-steps': '2', warmup: '1' },
  args,
);
const steps = Number(flag('steps', '3000'));
const names = flag('methods', 'self-genomenet,cpc,mlm').split(',');
const length = Number(flag('length', '256'));
const width = Number(flag('width', '32'));
const batchSize = Number(flag('batch-size', '32'));
const probeTrain = Number(flag('probe-train', '2000'));
const probeTest = Number(flag('probe-test', '1000'));
const margin = Number(flag('margin', '0.02'));
const seed = Number(flag('seed', '0'));
const markdown = flag('markdown', '');
const PROBE_LENGTHS = [150, 1000];
const FRACTIONS = [0.01, 0.1, 1];
const fineTuneSteps = Number(flag('finetune-steps', '150'));
const fineTuneLr = Number(flag('finetune-lr', '0.001'));
const FT_FRACTIONS = [0.01, 0.1];
const lrFlag = flag('lr', '');
const warmup = Number(flag('warmup', '20'));
const methodOptions = JSON.parse(flag('method-options', '{}')) as Record<string, Record<string, unknown>>;

const backend = await initBackend();
const dataRoot = process.env.AUTODIDACT_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'data');
const dir = join(dataRoot, 'bacteria');
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

/** `perClass` windows of each class, evenly spaced over that class's windows (balanced probe sets). */
function balanced(ds: WindowDataset, total: number): WindowDataset {
  const classes = ds.classNames!.length;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const [i, y] of ds.labels!.entries()) byClass[y]!.push(i);
  const per = Math.floor(total / classes);
  const keep: number[] = [];
  for (const idx of byClass) {
    const n = Math.min(per, idx.length);
    for (let i = 0; i < n; i++) keep.push(idx[Math.floor((i * idx.length) / n)]!);
  }
  return ds.subset(keep);
}

/** A class-balanced `fraction` of the rows (at least one per class), the same draw for every encoder. */
function labelSubset(labels: Int32Array, fraction: number, rng: Rng): number[] {
  if (fraction >= 1) return Array.from(labels.keys());
  const classes = Math.max(...labels) + 1;
  const out: number[] = [];
  for (let c = 0; c < classes; c++) {
    const idx = rng.shuffle(Array.from(labels.keys()).filter((i) => labels[i] === c));
    out.push(...idx.slice(0, Math.max(1, Math.round(fraction * idx.length))));
  }
  return out.sort((a, b) => a - b);
}

function kmerFeatures(ds: WindowDataset): tf.Tensor2D {
  const rows = ds.size;
  const out = new Float32Array(rows * 256);
  for (let i = 0; i < rows; i++) out.set(kmerFrequencies(ds.codes(i), 4), i * 256);
  return tf.tensor2d(out, [rows, 256]);
}

log(`backend ${backend.name}; loading ${dir} (train strains / held-out strains)`);
const sets = new Map<number, { train: WindowDataset; test: WindowDataset }>();
for (const L of PROBE_LENGTHS) {
  // Non-overlapping windows; a stride of L keeps neighbouring probe windows apart.
  const train = balanced(await loadLabeledWindows(join(dir, 'train'), { length: L }), probeTrain);
  const test = balanced(await loadLabeledWindows(join(dir, 'test'), { length: L }), probeTest);
  sets.set(L, { train, test });
  log(`probe windows ${L} bp: ${train.size} train, ${test.size} test, classes ${train.classNames!.join(', ')}`);
}
/** Yeast coding (inside one CDS) vs intergenic (no annotation) 150 bp windows of one chromosome. */
async function yeastWindows(file: string, seqid: string, total: number): Promise<WindowDataset> {
  const gff = await readGff3(join(dataRoot, 'yeast', 'yeast_chr1+2.gff3'));
  const feats = gff.features.filter((f) => f.seqid === seqid && f.type !== 'chromosome');
  let codes: Uint8Array | undefined;
  for await (const r of readFasta(join(dataRoot, 'yeast', file))) codes = encodeBases(r.sequence);
  const cds = feats.filter((f) => f.type === 'CDS');
  const w = regionWindows(codes!.length, cds, feats, { length: 150, stride: 75 });
  const windows = [
    ...w.outside.map((start) => ({ sequence: 0, start })),
    ...w.inside.map((start) => ({ sequence: 0, start })),
  ];
  const labels = Int32Array.from([...w.outside.map(() => 0), ...w.inside.map(() => 1)]);
  const ds = new WindowDataset([codes!], windows, 150, labels, ['intergenic', 'coding'], file);
  return balanced(ds, total);
}
const yeast = {
  train: await yeastWindows('chr2.fa', 'chrII', probeTrain),
  test: await yeastWindows('chr1.fa', 'chrI', probeTest),
};
log(`yeast coding vs intergenic 150 bp: ${yeast.train.size} train (chrII), ${yeast.test.size} test (chrI)`);

const pretrainData = await loadLabeledWindows(join(dir, 'train'), { length });
log(`pretraining windows: ${pretrainData.size} of ${length} bp`);

interface Row {
  name: string;
  linear: number[];
  knn: number[];
  yeast: number[];
  curve: number[];
  fineTune: number[];
  /** Linear probes on each half of an encoder embedding: [latent 150, context 150, latent 1 kb, context 1 kb]. */
  parts: number[];
  note: string;
}
const rows: Row[] = [];
const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const curveLength = 150;

/**
 * Fine-tunes `encoder` (all of its weights) with a fresh linear head on a class-balanced
 * `fraction` of the 150 bp training labels; returns test accuracy. Mutates the encoder's weights.
 */
function fineTune(encoder: Encoder<tf.Tensor>, fraction: number): number {
  const { train, test } = sets.get(curveLength)!;
  const keep = labelSubset(train.labels!, fraction, new Rng(seed + 7));
  const classes = train.classNames!.length;
  const dim = encoder.config.outputDim;
  const rng = new Rng(seed + 11);
  const w = tf.variable(tf.randomNormal([dim, classes], 0, 1 / Math.sqrt(dim), 'float32', rng.seed()), true);
  const b = tf.variable(tf.zeros([classes]), true);
  const vars = [...encoder.trainableVariables().values(), w, b];
  const opt = tf.train.adam(fineTuneLr);
  for (let step = 0; step < fineTuneSteps; step++) {
    const idx = Array.from({ length: Math.min(32, keep.length) }, () => keep[rng.int(keep.length)]!);
    const y = tf.oneHot(
      tf.tensor1d(
        Int32Array.from(idx, (i) => train.labels![i]!),
        'int32',
      ),
      classes,
    );
    const x = train.getBatch(idx);
    const cost = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(encoder.apply(x, true), w), b)) as tf.Scalar,
      true,
      vars,
    );
    tf.dispose([x, y]);
    cost?.dispose();
  }
  let correct = 0;
  for (let s0 = 0; s0 < test.size; s0 += 256) {
    const idx = Array.from({ length: Math.min(256, test.size - s0) }, (_, k) => s0 + k);
    const pred = tf.tidy(() => tf.argMax(tf.add(tf.matMul(encoder.apply(test.getBatch(idx), false), w), b), 1));
    const p = pred.dataSync();
    for (const [k, i] of idx.entries()) if (p[k] === test.labels![i]) correct++;
    pred.dispose();
  }
  opt.dispose();
  tf.dispose([w, b]);
  return correct / test.size;
}

/** Fine-tuning accuracies at FT_FRACTIONS, each from a fresh copy of the weights `build` makes. */
function fineTuneAll(build: () => { encoder: Encoder<tf.Tensor>; dispose: () => void }): number[] {
  return FT_FRACTIONS.map((f) => {
    const made = build();
    const acc = fineTune(made.encoder, f);
    made.dispose();
    return acc;
  });
}

/**
 * Every probe of one feature extractor. `split` (encoders only) is where the embedding's mean
 * patch latent ends and its last GRU context begins: each half is also probed on its own.
 */
function probeAll(name: string, features: (ds: WindowDataset) => tf.Tensor2D, note: string, split = 0): Row {
  const row: Row = { name, linear: [], knn: [], yeast: [], curve: [], fineTune: [], parts: [], note };
  for (const L of PROBE_LENGTHS) {
    const { train, test } = sets.get(L)!;
    const trainX = features(train);
    const testX = features(test);
    const common = { trainX, trainY: train.labels!, testX, testY: test.labels!, seed };
    row.linear.push(linearProbe(common).accuracy);
    row.knn.push(knnProbe(common).accuracy);
    if (split > 0) {
      const dim = trainX.shape[1];
      for (const [begin, size] of [
        [0, split],
        [split, dim - split],
      ] as const) {
        const a = tf.slice(trainX, [0, begin], [-1, size]);
        const b = tf.slice(testX, [0, begin], [-1, size]);
        row.parts.push(linearProbe({ ...common, trainX: a, testX: b }).accuracy);
        tf.dispose([a, b]);
      }
    }
    if (L === curveLength) {
      for (const f of FRACTIONS) {
        const keep = labelSubset(train.labels!, f, new Rng(seed + 7));
        const x = tf.gather(trainX, keep);
        const y = Int32Array.from(keep, (i) => train.labels![i]!);
        row.curve.push(linearProbe({ trainX: x, trainY: y, testX, testY: test.labels!, seed }).accuracy);
        x.dispose();
      }
    }
    tf.dispose([trainX, testX]);
  }
  {
    const trainX = features(yeast.train);
    const testX = features(yeast.test);
    const common = { trainX, trainY: yeast.train.labels!, testX, testY: yeast.test.labels!, seed };
    row.yeast.push(linearProbe(common).accuracy, knnProbe(common).accuracy);
    tf.dispose([trainX, testX]);
  }
  log(
    `${name}: linear ${row.linear.map((a) => a.toFixed(3)).join(' / ')}, kNN ${row.knn.map((a) => a.toFixed(3)).join(' / ')}, ` +
      `curve ${row.curve.map((a) => a.toFixed(3)).join(' / ')}, yeast ${row.yeast.map((a) => a.toFixed(3)).join(' / ')}`,
  );
  return row;
}

rows.push(probeAll('4-mer frequencies (canonical)', kmerFeatures, 'classical baseline'));

const options = { width, hidden: width };
let failed = false;
let randomDone = false;
for (const name of names) {
  const spec = methods.get(name);
  const method = spec.create({
    sampleShape: [length, 4],
    options: { ...options, ...methodOptions[name] },
    rng: new Rng(seed),
  });
  // Where the mean patch latent ends in the embedding (rc-conv-gru: [latent (width) ; context]).
  const split = Number((method.encoder.config as { width?: number }).width ?? 0);
  if (!randomDone) {
    // Same architecture and config, fresh initialisation, never trained.
    const enc = createEncoder(method.encoder.config, new Rng(seed + 1));
    rows.push(
      probeAll(
        'random-init encoder',
        (ds) => embedDataset((b) => enc.apply(b, false), ds, 256),
        'same architecture, untrained',
        split,
      ),
    );
    enc.dispose();
    const t = Date.now();
    rows.at(-1)!.fineTune = fineTuneAll(() => {
      const e = createEncoder(method.encoder.config, new Rng(seed + 1));
      return { encoder: e, dispose: () => e.dispose() };
    });
    log(
      `random-init fine-tune ${rows
        .at(-1)!
        .fineTune.map((a) => a.toFixed(3))
        .join(' / ')} (${((Date.now() - t) / 1000).toFixed(0)} s)`,
    );
    randomDone = true;
  }
  const t0 = Date.now();
  // Pretext accuracy of every step, to report how far the pretext task was learned.
  const accuracy: number[] = [];
  const result = await new Trainer(
    method,
    {
      ...spec.trainerDefaults,
      batchSize,
      steps,
      seed,
      logEvery: Math.max(1, Math.floor(steps / 10)),
      diagnosticsEvery: 0,
      ...(lrFlag ? { optimizer: { name: 'adam', lr: Number(lrFlag) } } : {}),
      schedule: { kind: 'cosine', warmupSteps: Math.min(warmup, Math.floor(steps / 10)), minLrRatio: 0.05 },
    },
    [{ onStepEnd: (info) => void accuracy.push(info.metrics.accuracy ?? Number.NaN) }],
  ).fit(pretrainData);
  const secs = (Date.now() - t0) / 1000;
  const span = Math.max(1, Math.floor(steps / 10));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pretext =
    `loss ${avg(result.lossHistory.slice(0, span)).toFixed(2)} -> ${avg(result.lossHistory.slice(-span)).toFixed(2)}, ` +
    `pretext acc ${pct(avg(accuracy.slice(0, span)))}% -> ${pct(avg(accuracy.slice(-span)))}% (first / last ${span} steps)`;
  log(`${name}: ${pretext}`);
  const row = probeAll(
    name,
    (ds) => embedDataset((b) => method.embed(b), ds, 256),
    `${steps} steps, ${secs.toFixed(0)} s; ${pretext}`,
    split,
  );
  // Fine-tune copies of the pretrained encoder (same architecture as the random-init row).
  const trained = new Map<string, tf.Tensor>();
  for (const [k, v] of method.encoder.allVariables()) trained.set(k, v.clone());
  row.fineTune = fineTuneAll(() => {
    const e = createEncoder(method.encoder.config, new Rng(seed + 1));
    for (const [k, v] of e.allVariables()) v.assign(trained.get(k)!);
    return { encoder: e, dispose: () => e.dispose() };
  });
  tf.dispose([...trained.values()]);
  log(`${name} fine-tune ${row.fineTune.map((a) => a.toFixed(3)).join(' / ')}`);
  rows.push(row);
  method.dispose();
}

const random = rows.find((r) => r.name === 'random-init encoder')!;
const table = [
  `Species of origin, 4 classes (chance 25%), held-out strains; accuracy in %. Pretraining: ${steps} steps, batch ${batchSize}, ${length} bp windows, width ${width}; probes on ${sets.get(150)!.train.size} train / ${sets.get(150)!.test.size} test windows.`,
  '',
  '| features | linear 150 bp | kNN 150 bp | linear 1 kb | kNN 1 kb | yeast coding, linear | yeast coding, kNN | notes |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${pct(r.linear[0]!)} | ${pct(r.knn[0]!)} | ${pct(r.linear[1]!)} | ${pct(r.knn[1]!)} | ${pct(r.yeast[0]!)} | ${pct(r.yeast[1]!)} | ${r.note} |`,
  ),
  '',
  `Yeast coding vs intergenic (2 classes, balanced, chance 50%): 150 bp windows inside one CDS or outside every SGD annotation, probes fitted on chrII (${yeast.train.size}) and tested on chrI (${yeast.test.size}); encoders pretrained on the bacteria only (transfer).`,
  '',
  `Data efficiency: linear probe on 150 bp windows with a class-balanced fraction of the training labels.`,
  '',
  `| features | ${FRACTIONS.map((f) => `${f * 100}% labels`).join(' | ')} |`,
  `|---|${FRACTIONS.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.name} | ${r.curve.map(pct).join(' | ')} |`),
  '',
  `Which half of the embedding carries the species: linear probes on the strand-averaged mean patch latent and the last GRU context alone, beside the whole embedding.`,
  '',
  '| encoder | latent 150 bp | context 150 bp | both 150 bp | latent 1 kb | context 1 kb | both 1 kb |',
  '|---|---|---|---|---|---|---|',
  ...rows
    .filter((r) => r.parts.length > 0)
    .map(
      (r) =>
        `| ${r.name} | ${pct(r.parts[0]!)} | ${pct(r.parts[1]!)} | ${pct(r.linear[0]!)} | ${pct(r.parts[2]!)} | ${pct(r.parts[3]!)} | ${pct(r.linear[1]!)} |`,
    ),
  '',
  `Fine-tuning (the paper's comparison): encoder + linear head, all weights trained with Adam (lr ${fineTuneLr}) for ${fineTuneSteps} steps of batch 32 on a class-balanced fraction of the 150 bp species labels, from the pretrained weights or from the random init; held-out strains.`,
  '',
  `| init | ${FT_FRACTIONS.map((f) => `${f * 100}% labels`).join(' | ')} |`,
  `|---|${FT_FRACTIONS.map(() => '---').join('|')}|`,
  ...rows.filter((r) => r.fineTune.length > 0).map((r) => `| ${r.name} | ${r.fineTune.map(pct).join(' | ')} |`),
].join('\n');
console.log(`\n${table}\n`);
if (markdown) writeFileSync(markdown, `${table}\n`);
for (const r of rows) {
  if (!names.includes(r.name)) continue;
  if (r.linear[1]! < random.linear[1]! + margin) {
    console.error(
      `FAIL: ${r.name} linear 1 kb ${pct(r.linear[1]!)}% does not beat random init ${pct(random.linear[1]!)}% by ${pct(margin)} points`,
    );
    failed = true;
  }
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed && !SMOKE ? 1 : 0);
