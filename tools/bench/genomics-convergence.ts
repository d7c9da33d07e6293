// Convergence and data-efficiency check for the genomics methods on real bacterial genomes under
// the evaluation protocol (docs/protocol.md): species of origin (4 species) with one strain per
// species held out for testing; and, as a transfer task, yeast coding vs intergenic 150 bp
// windows (train chrII, test chrI). For each seed, each method pretrains for a fixed number of
// steps on windows of the twelve training genomes; then linear and kNN (k=20, k=200) probes on
// its frozen, strand-averaged embeddings of 150 bp and 1 kb windows, beside the protocol's
// baselines: canonical 4-mer frequencies, the random-init encoder of the same architecture (no
// batch norm, so "as built" is the only random init) and the same encoder trained supervised on
// all the 150 bp labels (core's fineTune from the random init); the data-efficiency curve (the
// linear probe with 1%, 10% and 100% of the training labels) and fine-tuning with 1% and 10%
// of the labels. Mean ± std over the seeds. Exits 1 when a method does not beat the random
// encoder under the margin rule on the 1 kb linear probe (the probe fixed for this data set).
// `--split validation` scores on other windows of the training strains (chrII's last fifth for
// yeast) and never reads the test split.
//
//   node --conditions=source --import tsx tools/bench/genomics-convergence.ts [--steps 3000]
//     [--methods self-genomenet,cpc,mlm] [--length 256] [--width 32] [--batch-size 32]
//     [--probe-train 2000] [--probe-test 1000] [--seeds 0,1,2] [--split test|validation] [--markdown FILE]
//     [--finetune-steps 150] [--finetune-lr 0.001] [--lr <method default>] [--warmup 20]
//     [--method-options '{"self-genomenet":{"maxGap":6}}']
//
// Fine-tuning (the paper's comparison) is core's fineTune: the whole encoder plus a linear head
// on a class-balanced 1% / 10% / 100% of the 150 bp species labels for --finetune-steps steps of
// batch 32, from the pretrained weights and from the random init, same steps, same label draw.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Encoder, embedDataset, fineTune, initBackend, Rng, Trainer } from '@autodidact/core';
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
import {
  exitOnUsageError,
  evaluationSet,
  formatMeanStd,
  HeldOut,
  linearScore,
  MARGIN_RULE,
  marginOf,
  PROBE_CAPTION,
  parsePhase,
  parseSeeds,
  probeSplits,
  RANDOM_INIT,
  type Splits,
  SUPERVISED,
  testReadSummary,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

exitOnUsageError();

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  {
    steps: '2',
    'batch-size': '8',
    'probe-train': '100',
    'probe-test': '50',
    'finetune-steps': '2',
    warmup: '1',
    seeds: '1',
  },
  args,
);
const steps = Number(flag('steps', '3000'));
const names = flag('methods', 'self-genomenet,cpc,mlm').split(',');
const length = Number(flag('length', '256'));
const width = Number(flag('width', '32'));
const batchSize = Number(flag('batch-size', '32'));
const probeTrain = Number(flag('probe-train', '2000'));
const probeTest = Number(flag('probe-test', '1000'));
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const markdown = flag('markdown', '');
const PROBE_LENGTHS = [150, 1000];
const FRACTIONS = [0.01, 0.1, 1];
const fineTuneSteps = Number(flag('finetune-steps', '150'));
const fineTuneLr = Number(flag('finetune-lr', '0.001'));
const FT_FRACTIONS = [0.01, 0.1, 1];
const lrFlag = flag('lr', '');
const warmup = Number(flag('warmup', '20'));
const methodOptions = JSON.parse(flag('method-options', '{}')) as Record<string, Record<string, unknown>>;

const backend = await initBackend();
const dataRoot = process.env.AUTODIDACT_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'data');
const dir = join(dataRoot, 'bacteria');
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

/** Indices of each class, in dataset order. */
function byClass(ds: WindowDataset): number[][] {
  const out: number[][] = Array.from({ length: ds.classNames!.length }, () => []);
  for (const [i, y] of ds.labels!.entries()) out[y]!.push(i);
  return out;
}
/** `n` indices evenly spaced over `idx`. */
const spread = (idx: number[], n: number) =>
  Array.from(
    { length: Math.min(n, idx.length) },
    (_, i) => idx[Math.floor((i * idx.length) / Math.min(n, idx.length))]!,
  );

/** `total` windows, the same number per class, evenly spaced over that class's windows (balanced probe sets). */
function balanced(ds: WindowDataset, total: number): WindowDataset {
  const per = Math.floor(total / ds.classNames!.length);
  return ds.subset(byClass(ds).flatMap((idx) => spread(idx, per)));
}

/** SPLITS.bacteria: 2 x `total` evenly spaced windows per class set; even picks train, odd picks validation. */
function trainValidation(ds: WindowDataset, total: number): { train: WindowDataset; validation: WindowDataset } {
  const per = Math.floor(total / ds.classNames!.length);
  const picks = byClass(ds).map((idx) => spread(idx, 2 * per));
  return {
    train: ds.subset(picks.flatMap((p) => p.filter((_, i) => i % 2 === 0))),
    validation: ds.subset(picks.flatMap((p) => p.filter((_, i) => i % 2 === 1))),
  };
}

function kmerFeatures(ds: WindowDataset): tf.Tensor2D {
  const rows = ds.size;
  const out = new Float32Array(rows * 256);
  for (let i = 0; i < rows; i++) out.set(kmerFrequencies(ds.codes(i), 4), i * 256);
  return tf.tensor2d(out, [rows, 256]);
}

log(`backend ${backend.name}; loading ${dir} (train strains / held-out strains)`);
const sets = new Map<number, Splits<WindowDataset>>();
for (const L of PROBE_LENGTHS) {
  // Non-overlapping windows; a stride of L keeps neighbouring probe windows apart.
  const { train, validation } = trainValidation(
    await loadLabeledWindows(join(dir, 'train'), { length: L }),
    probeTrain,
  );
  const test = balanced(await loadLabeledWindows(join(dir, 'test'), { length: L }), probeTest);
  sets.set(L, { train, validation, test: new HeldOut(`bacteria ${L} bp`, test) });
  log(
    `probe windows ${L} bp: ${train.size} train, ${validation.size} validation, ${test.size} test, classes ${train.classNames!.join(', ')}`,
  );
}
/** Yeast coding (inside one CDS) vs intergenic (no annotation) 150 bp windows of one chromosome, by position. */
async function yeastWindows(file: string, seqid: string): Promise<WindowDataset> {
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
  return new WindowDataset([codes!], windows, 150, labels, ['intergenic', 'coding'], file);
}
/** SPLITS['yeast-coding']: chrII's first 80% of each class by position train, the last 20% validation. */
const yeast: Splits<WindowDataset> = await (async () => {
  const chr2 = await yeastWindows('chr2.fa', 'chrII');
  const cut = byClass(chr2).map((idx) => Math.floor(0.8 * idx.length));
  const part = (first: boolean) =>
    chr2.subset(byClass(chr2).flatMap((idx, c) => (first ? idx.slice(0, cut[c]) : idx.slice(cut[c]))));
  return {
    train: balanced(part(true), probeTrain),
    validation: balanced(part(false), probeTest),
    test: new HeldOut('yeast chrI', balanced(await yeastWindows('chr1.fa', 'chrI'), probeTest)),
  };
})();
log(
  `yeast coding vs intergenic 150 bp: ${yeast.train.size} train (chrII), ${yeast.validation.size} validation (chrII), test chrI`,
);

const pretrainData = await loadLabeledWindows(join(dir, 'train'), { length });
log(`pretraining windows: ${pretrainData.size} of ${length} bp`);

/** One table row: every score over the seeds, by column key. */
interface Row {
  name: string;
  cols: Map<string, number[]>;
  note: string;
}
const rows: Row[] = [];
const pct = (xs: number[] | undefined) => (xs ? formatMeanStd(xs, 1, 100) : '');
const push = (row: Row, key: string, value: number) => {
  if (!row.cols.has(key)) row.cols.set(key, []);
  row.cols.get(key)!.push(value);
};
const curveLength = 150;

/**
 * Fine-tunes `encoder` (all of its weights, core's fineTune) with a fresh linear head on a
 * class-balanced `fraction` of the 150 bp training labels; accuracy on the evaluation split.
 * Mutates the encoder's weights.
 */
async function fineTuneScore(encoder: Encoder<tf.Tensor>, fraction: number, label: string, seed: number) {
  const splits = sets.get(curveLength)!;
  return evaluationSet(splits, phase, label, async (evalSet) => {
    const r = await fineTune({
      encoder,
      train: splits.train,
      test: evalSet,
      steps: fineTuneSteps,
      batchSize: 32,
      lr: fineTuneLr,
      labelFraction: fraction,
      seed,
      evalTrain: false,
      progress: { quiet: true },
    });
    return r.accuracy;
  });
}

/** Fine-tuning accuracies at FT_FRACTIONS into `row`, each from a fresh copy of the weights `build` makes. */
async function fineTuneAll(row: Row, build: () => Encoder<tf.Tensor>, seed: number): Promise<void> {
  for (const f of FT_FRACTIONS) {
    const encoder = build();
    push(row, `ft ${f}`, await fineTuneScore(encoder, f, `${row.name} fine-tune ${f} seed ${seed}`, seed));
    encoder.dispose();
  }
}

/**
 * Every probe of one feature extractor for one seed into `row`. `split` (encoders only) is where
 * the embedding's mean patch latent ends and its last GRU context begins: each half is also
 * probed on its own.
 */
async function probeAll(
  row: Row,
  features: (ds: WindowDataset) => tf.Tensor2D,
  seed: number,
  split = 0,
): Promise<void> {
  for (const L of PROBE_LENGTHS) {
    const splits = sets.get(L)!;
    const s = await probeSplits(features, splits, phase, `${row.name} ${L} bp seed ${seed}`, seed);
    push(row, `linear ${L}`, s.linear);
    push(row, `knn20 ${L}`, s.knn20);
    push(row, `knn200 ${L}`, s.knn200);
    const trainX = features(splits.train);
    const trainY = splits.train.labels!;
    await evaluationSet(splits, phase, `${row.name} ${L} bp curve and halves seed ${seed}`, async (evalSet) => {
      const evalX = features(evalSet);
      if (split > 0) {
        const dim = trainX.shape[1];
        for (const [part, begin, size] of [
          ['latent', 0, split],
          ['context', split, dim - split],
        ] as const) {
          const a = tf.slice(trainX, [0, begin], [-1, size]);
          const b = tf.slice(evalX, [0, begin], [-1, size]);
          push(row, `${part} ${L}`, await linearScore(a, trainY, b, evalSet.labels!, seed));
          tf.dispose([a, b]);
        }
      }
      if (L === curveLength) {
        for (const f of FRACTIONS) {
          if (f >= 1) {
            push(row, `curve ${f}`, s.linear);
            continue;
          }
          const keep = labelSubset(trainY, f, new Rng(seed + 7));
          const x = tf.gather(trainX, keep);
          push(
            row,
            `curve ${f}`,
            await linearScore(
              x,
              Int32Array.from(keep, (i) => trainY[i]!),
              evalX,
              evalSet.labels!,
              seed,
            ),
          );
          x.dispose();
        }
      }
      evalX.dispose();
    });
    trainX.dispose();
  }
  const y = await probeSplits(features, yeast, phase, `${row.name} yeast seed ${seed}`, seed);
  push(row, 'yeast linear', y.linear);
  push(row, 'yeast knn20', y.knn20);
  push(row, 'yeast knn200', y.knn200);
  const mean = (k: string) => pct(row.cols.get(k));
  log(
    `${row.name} seed ${seed}: linear ${mean('linear 150')} / ${mean('linear 1000')}, kNN20 ${mean('knn20 150')} / ${mean('knn20 1000')}, yeast ${mean('yeast linear')}`,
  );
}

/** A class-balanced `fraction` of the rows (at least one per class), the same draw for every encoder. */
function labelSubset(labels: Int32Array, fraction: number, rng: Rng): number[] {
  const classes = Math.max(...labels) + 1;
  const out: number[] = [];
  for (let c = 0; c < classes; c++) {
    const idx = rng.shuffle(Array.from(labels.keys()).filter((i) => labels[i] === c));
    out.push(...idx.slice(0, Math.max(1, Math.round(fraction * idx.length))));
  }
  return out.sort((a, b) => a - b);
}

const kmers: Row = { name: '4-mer frequencies (canonical)', cols: new Map(), note: 'classical baseline' };
for (const seed of seeds) await probeAll(kmers, kmerFeatures, seed);
rows.push(kmers);

const options = { width, hidden: width };
const random: Row = { name: `${RANDOM_INIT} encoder`, cols: new Map(), note: 'same architecture, untrained' };
const methodRows: Row[] = [];
let split = 0;
for (const seed of seeds) {
  for (const [k, name] of names.entries()) {
    const spec = methods.get(name);
    const method = spec.create({
      sampleShape: [length, 4],
      options: { ...options, ...methodOptions[name] },
      rng: new Rng(seed),
    });
    // Where the mean patch latent ends in the embedding (rc-conv-gru: [latent (width) ; context]).
    split = Number((method.encoder.config as { width?: number }).width ?? 0);
    if (k === 0) {
      // Same architecture and config, fresh initialisation, never trained.
      const enc = createEncoder(method.encoder.config, new Rng(seed + 1000));
      await probeAll(random, (ds) => embedDataset((b) => enc.apply(b, false), ds, 256), seed, split);
      enc.dispose();
      await fineTuneAll(random, () => createEncoder(method.encoder.config, new Rng(seed + 1000)), seed);
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
      `pretext acc ${(100 * avg(accuracy.slice(0, span))).toFixed(1)}% -> ${(100 * avg(accuracy.slice(-span))).toFixed(1)}% (first / last ${span} steps)`;
    log(`${name} seed ${seed}: ${pretext}`);
    methodRows[k] ??= { name, cols: new Map(), note: '' };
    const row = methodRows[k]!;
    row.note = `${steps} steps, ${secs.toFixed(0)} s; ${pretext} (last seed)`;
    await probeAll(row, (ds) => embedDataset((b) => method.embed(b), ds, 256), seed, split);
    // Fine-tune copies of the pretrained encoder (same architecture as the random-init row).
    const trained = new Map<string, tf.Tensor>();
    for (const [key, v] of method.encoder.allVariables()) trained.set(key, v.clone());
    await fineTuneAll(
      row,
      () => {
        const e = createEncoder(method.encoder.config, new Rng(seed + 1000));
        for (const [key, v] of e.allVariables()) v.assign(trained.get(key)!);
        return e;
      },
      seed,
    );
    tf.dispose([...trained.values()]);
    method.dispose();
  }
}
rows.push(random, ...methodRows);
const supervised: Row = {
  name: `${SUPERVISED} (random init fine-tuned on all 150 bp labels)`,
  cols: new Map([['linear 150', random.cols.get('ft 1') ?? []]]),
  note: `core's fineTune, ${fineTuneSteps} steps`,
};

const c = (r: Row, k: string) => pct(r.cols.get(k));
const table = [
  `Species of origin, 4 classes (chance 25%), ${phase === 'test' ? 'held-out strains' : 'validation windows of the training strains'}; accuracy in %, mean ± std over seeds ${seeds.join(', ')}. Pretraining: ${steps} steps, batch ${batchSize}, ${length} bp windows, width ${width}; probes on ${sets.get(150)!.train.size} train windows. ${PROBE_CAPTION} Margin: ${MARGIN_RULE}, on the 1 kb species probe. ${testReadSummary()}.`,
  '',
  '| features | linear 150 bp | kNN k=20 150 bp | kNN k=200 150 bp | linear 1 kb | kNN k=20 1 kb | kNN k=200 1 kb | yeast coding, linear | yeast, kNN k=20 | notes |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...[...rows, supervised].map(
    (r) =>
      `| ${r.name} | ${c(r, 'linear 150')} | ${c(r, 'knn20 150')} | ${c(r, 'knn200 150')} | ${c(r, 'linear 1000')} | ${c(r, 'knn20 1000')} | ${c(r, 'knn200 1000')} | ${c(r, 'yeast linear')} | ${c(r, 'yeast knn20')} | ${r.note} |`,
  ),
  '',
  `Yeast coding vs intergenic (2 classes, balanced, chance 50%): 150 bp windows inside one CDS or outside every SGD annotation, probes fitted on chrII (${yeast.train.size}) and scored on ${phase === 'test' ? 'chrI' : "chrII's last fifth"}; encoders pretrained on the bacteria only (transfer).`,
  '',
  `Data efficiency: linear probe on 150 bp windows with a class-balanced fraction of the training labels.`,
  '',
  `| features | ${FRACTIONS.map((f) => `${f * 100}% labels`).join(' | ')} |`,
  `|---|${FRACTIONS.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.name} | ${FRACTIONS.map((f) => c(r, `curve ${f}`)).join(' | ')} |`),
  '',
  `Which half of the embedding carries the species: linear probes on the strand-averaged mean patch latent and the last GRU context alone, beside the whole embedding.`,
  '',
  '| encoder | latent 150 bp | context 150 bp | both 150 bp | latent 1 kb | context 1 kb | both 1 kb |',
  '|---|---|---|---|---|---|---|',
  ...rows
    .filter((r) => r.cols.has('latent 150'))
    .map(
      (r) =>
        `| ${r.name} | ${c(r, 'latent 150')} | ${c(r, 'context 150')} | ${c(r, 'linear 150')} | ${c(r, 'latent 1000')} | ${c(r, 'context 1000')} | ${c(r, 'linear 1000')} |`,
    ),
  '',
  `Fine-tuning (the paper's comparison; the random-init row at 100% is the supervised baseline): encoder + linear head, all weights trained with core's fineTune (encoder lr ${fineTuneLr}, head 10x, warm-up then cosine) for ${fineTuneSteps} steps of batch 32 on a class-balanced fraction of the 150 bp species labels, from the pretrained weights or from the random init.`,
  '',
  `| init | ${FT_FRACTIONS.map((f) => `${f * 100}% labels`).join(' | ')} |`,
  `|---|${FT_FRACTIONS.map(() => '---').join('|')}|`,
  ...rows
    .filter((r) => r.cols.has('ft 0.01'))
    .map((r) => `| ${r.name} | ${FT_FRACTIONS.map((f) => c(r, `ft ${f}`)).join(' | ')} |`),
].join('\n');
console.log(`\n${table}\n`);
if (markdown) writeFileSync(markdown, `${table}\n`);
let failed = false;
for (const r of methodRows) {
  const m = marginOf(r.cols.get('linear 1000')!, random.cols.get('linear 1000')!);
  console.error(
    `${r.name} vs ${random.name}, linear 1 kb: ${(100 * m.difference).toFixed(1)} points vs threshold ${(100 * m.threshold).toFixed(1)}: ${m.beats ? 'beats' : 'does not beat'}`,
  );
  if (!m.beats) failed = true;
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed && !SMOKE ? 1 : 0);
