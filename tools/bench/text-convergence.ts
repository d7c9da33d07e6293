// Convergence check for the text methods on real State of the Union speeches: a byte-level BPE
// trained on the training speeches, MLM and CLM pretrained for a fixed number of steps, then
// held-out perplexity (beside the random-init model and a unigram model), a Democrat-vs-
// Republican probe per speech (mean of its window embeddings; linear and kNN) beside TF-IDF
// bag-of-words, a random-init encoder and the majority class. Exits 1 when a method's held-out
// perplexity is not at least MARGIN times lower than its random-init model's. Yarowsky's
// pseudo-word evaluation is tools/bench/yarowsky-results.ts (npm run bench:yarowsky).
//
//   node --conditions=source --import tsx tools/bench/text-convergence.ts [--steps N] [--methods mlm,clm]
//        [--context N] [--vocab N] [--dim N] [--layers N] [--batch-size N] [--windows N] [--margin X]
//        [--markdown FILE] [--finetune-steps N] [--finetune-lr X] [--finetune-seeds N]
//
// Fine-tuning (issue 6): every encoder (random init, MLM, CLM) also gets a fresh linear head trained
// per window with its speech's label, once with the encoder frozen (head only) and once end-to-end
// (core's fineTune, same steps and seed for all), scored per speech by averaging the logits of its
// windows; mean over --finetune-seeds seeds (head initialisation and batch order), with the range.
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Encoder,
  type FineTuneResult,
  fineTune,
  initBackend,
  knnProbe,
  linearProbe,
  Rng,
  TensorDataset,
  Trainer,
} from '@autodidact/core';
import {
  CausalLm,
  corpusWindows,
  describeTokenizer,
  MaskedLm,
  PerplexityMeter,
  readFileLines,
  setActiveTokenizer,
  sotuPartySplit,
  TransformerTextEncoder,
  trainBpe,
  words,
} from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';
import { benchFlags, SMOKE } from './smoke.js';

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  {
    steps: '2',
    context: '32',
    vocab: '300',
    'batch-size': '4',
    windows: '2',
    'finetune-steps': '2',
    'finetune-seeds': '1',
  },
  args,
);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'mlm,clm').split(',');
const contextLength = Number(flag('context', '64'));
const vocabSize = Number(flag('vocab', '2048'));
const dim = Number(flag('dim', '64'));
const layers = Number(flag('layers', '2'));
const batchSize = Number(flag('batch-size', '16'));
const windowsPerSpeech = Number(flag('windows', '16'));
const MARGIN = Number(flag('margin', '2'));
const markdown = flag('markdown', '');
const fineTuneSteps = Number(flag('finetune-steps', '300'));
const fineTuneLr = Number(flag('finetune-lr', '3e-4'));
const fineTuneSeeds = Number(flag('finetune-seeds', '1'));

const backend = await initBackend();
const split = await sotuPartySplit();
const t0 = Date.now();

// Speeches of the party split, with their labels (0 democrat, 1 republican).
async function speeches(root: string) {
  const out: { file: string; label: number }[] = [];
  for (const [label, cls] of ['democrat', 'republican'].entries()) {
    for (const f of (await readdir(join(root, cls))).sort()) out.push({ file: join(root, cls, f), label });
  }
  return out;
}
const trainSpeeches = await speeches(split.train);
const testSpeeches = await speeches(split.test);
async function textOf(file: string) {
  const lines: string[] = [];
  for await (const l of readFileLines(file)) lines.push(l);
  return lines.join('\n');
}

async function* trainLines() {
  for (const s of trainSpeeches) yield* readFileLines(s.file);
}
const tok = await trainBpe(trainLines(), { vocabSize });
const active = describeTokenizer(tok, tok.toJSON());
setActiveTokenizer(active);
const wopt = { contextLength, eosId: active.eosId, padId: active.padId };
const train = await corpusWindows(
  trainSpeeches.map((s) => s.file),
  tok,
  wopt,
);
const heldOut = (
  await corpusWindows(
    testSpeeches.map((s) => s.file),
    tok,
    wopt,
  )
).slice(0, 400);
console.error(
  `text bench: BPE ${tok.vocabSize} tokens, ${train.size} training windows of ${contextLength}, ${heldOut.size} held-out windows (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
);

// Unigram model (add-one) from the training windows: the floor any LM should beat.
const unigram = (() => {
  const counts = new Float64Array(tok.vocabSize).fill(1);
  const ids = train.inputs.dataSync();
  let n = tok.vocabSize;
  for (const id of ids) {
    if (id !== active.padId) {
      counts[id]!++;
      n++;
    }
  }
  const m = new PerplexityMeter();
  const h = heldOut.inputs.dataSync();
  const nll: number[] = [];
  for (let i = 0; i < h.length; i++)
    if (h[i] !== active.padId && i % contextLength !== 0) nll.push(-Math.log(counts[h[i]!]! / n));
  m.add(nll);
  return m.perplexity;
})();

function heldOutPerplexity(m: MaskedLm | CausalLm): number {
  const meter = new PerplexityMeter();
  const rng = new Rng(123);
  for (let i = 0; i < heldOut.size; i += 32) {
    const idx = Array.from({ length: Math.min(32, heldOut.size - i) }, (_, k) => i + k);
    const b = heldOut.getBatch(idx);
    meter.add(m.evalNll(b, rng));
    b.dispose();
  }
  return meter.perplexity;
}

// Per speech: the mean embedding of its first windows.
const speechWindows = async (list: { file: string }[]) =>
  Promise.all(
    list.map(async (s) => {
      const ds = await corpusWindows([s.file], tok, { ...wopt, limit: windowsPerSpeech });
      return ds;
    }),
  );
const trainSW = await speechWindows(trainSpeeches);
const testSW = await speechWindows(testSpeeches);
const trainY = Int32Array.from(trainSpeeches.map((s) => s.label));
const testY = Int32Array.from(testSpeeches.map((s) => s.label));

function speechEmbeddings(embed: (x: tf.Tensor) => tf.Tensor2D, sets: TensorDataset[]): tf.Tensor2D {
  return tf.tidy(() => tf.stack(sets.map((ds) => tf.mean(embed(ds.inputs), 0))) as tf.Tensor2D);
}
function probe(trainX: tf.Tensor2D, testX: tf.Tensor2D) {
  const data = { trainX, trainY, testX, testY };
  const r = { linear: linearProbe(data).accuracy, knn: knnProbe({ ...data, k: 5 }).accuracy };
  tf.dispose([trainX, testX]);
  return r;
}
function probeEncoder(embed: (x: tf.Tensor) => tf.Tensor2D) {
  return probe(speechEmbeddings(embed, trainSW), speechEmbeddings(embed, testSW));
}

// Fine-tuning data: every window of the probe speeches, labelled with its speech's party; the
// speech of each test window, to score per speech by averaging the logits of its windows (the
// usual way to classify a document longer than the model's context).
function windowSet(sets: TensorDataset[], labels: Int32Array) {
  const inputs = tf.concat(sets.map((ds) => ds.inputs));
  const speech = Int32Array.from(sets.flatMap((ds, i) => new Array<number>(ds.size).fill(i)));
  return {
    ds: new TensorDataset(
      inputs,
      Int32Array.from(speech, (i) => labels[i]!),
    ),
    speech,
  };
}
const trainWin = windowSet(trainSW, trainY);
const testWin = windowSet(testSW, testY);
function perSpeechAccuracy(r: FineTuneResult): number {
  const k = r.numClasses;
  const sums = new Float64Array(testY.length * k);
  for (let w = 0; w < testWin.speech.length; w++) {
    for (let c = 0; c < k; c++) sums[testWin.speech[w]! * k + c]! += r.testLogits[w * k + c]!;
  }
  let hits = 0;
  for (let s = 0; s < testY.length; s++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (sums[s * k + c]! > sums[s * k + best]!) best = c;
    if (best === testY[s]) hits++;
  }
  return hits / testY.length;
}
type Stat = { mean: number; min: number; max: number };
type FtRow = { name: string; headOnly: Stat; headOnlyWindow: Stat; full: Stat; fullWindow: Stat; seconds: number };
const ftRows: FtRow[] = [];
const stat = (xs: number[]): Stat => ({
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  min: Math.min(...xs),
  max: Math.max(...xs),
});
/** Head-only and end-to-end fine-tuning of `encoder` for each seed (weights restored after each). */
async function fineTuneRow(name: string, encoder: Encoder<tf.Tensor>): Promise<void> {
  const acc = {
    headOnly: [] as number[],
    headOnlyWindow: [] as number[],
    full: [] as number[],
    fullWindow: [] as number[],
  };
  let seconds = 0;
  for (let seed = 0; seed < fineTuneSeeds; seed++) {
    const common = {
      encoder,
      train: trainWin.ds,
      test: testWin.ds,
      steps: fineTuneSteps,
      batchSize: 32,
      lr: fineTuneLr,
      seed,
      restore: true,
      evalTrain: false,
      progress: { logEvery: 100 },
    };
    const frozen = await fineTune({ ...common, freeze: 'encoder' });
    const start = Date.now();
    const full = await fineTune(common);
    seconds += (Date.now() - start) / 1000;
    acc.headOnly.push(perSpeechAccuracy(frozen));
    acc.headOnlyWindow.push(frozen.accuracy);
    acc.full.push(perSpeechAccuracy(full));
    acc.fullWindow.push(full.accuracy);
  }
  ftRows.push({
    name,
    headOnly: stat(acc.headOnly),
    headOnlyWindow: stat(acc.headOnlyWindow),
    full: stat(acc.full),
    fullWindow: stat(acc.fullWindow),
    seconds: seconds / fineTuneSeeds,
  });
}

// TF-IDF bag of words over the training speeches' 5,000 most common words (by document frequency).
const tfidf = await (async () => {
  const docs = await Promise.all([...trainSpeeches, ...testSpeeches].map(async (s) => words(await textOf(s.file))));
  const df = new Map<string, number>();
  for (const d of docs.slice(0, trainSpeeches.length)) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = [...df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5000);
  const index = new Map(vocab.map(([w], i) => [w, i]));
  const nDocs = trainSpeeches.length;
  const rows = docs.map((d) => {
    const v = new Float32Array(vocab.length);
    for (const w of d) {
      const i = index.get(w);
      if (i !== undefined) v[i]! += 1;
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = v[i]! > 0 ? (1 + Math.log(v[i]!)) * Math.log((1 + nDocs) / (1 + vocab[i]![1])) : 0;
      norm += v[i]! * v[i]!;
    }
    const s = 1 / Math.sqrt(norm || 1);
    for (let i = 0; i < v.length; i++) v[i]! *= s;
    return v;
  });
  const x = (r: Float32Array[]) =>
    tf.tensor2d(
      r.flatMap((v) => [...v]),
      [r.length, vocab.length],
    );
  return probe(x(rows.slice(0, nDocs)), x(rows.slice(nDocs)));
})();

const majority = Math.max(testY.filter((y) => y === 0).length, testY.filter((y) => y === 1).length) / testY.length;
type Row = { name: string; ppl?: number; linear: number; knn: number; seconds?: number; loss?: string };
const rows: Row[] = [
  { name: 'majority class', linear: majority, knn: majority },
  { name: 'TF-IDF bag of words (5,000 words)', ...tfidf },
  { name: 'unigram LM (add-one)', ppl: unigram, linear: Number.NaN, knn: Number.NaN },
];
let failed = false;
const samples: string[] = [];
for (const name of names) {
  const options = { dim, layers, heads: Math.max(1, dim / 32) };
  const create = () =>
    name === 'mlm'
      ? new MaskedLm([contextLength], options, new Rng(0))
      : new CausalLm([contextLength], options, new Rng(0));
  const random = create();
  const randomPpl = heldOutPerplexity(random);
  const r = new TransformerTextEncoder(random.encoder.config, new Rng(1));
  rows.push({ name: `${name} random init`, ppl: randomPpl, ...probeEncoder((x) => r.apply(x, false)) });
  await fineTuneRow(`${name} random init`, r);
  r.dispose();
  random.dispose();
  const method = create();
  const start = Date.now();
  const result = await new Trainer(method, {
    batchSize,
    steps,
    optimizer: { name: 'adam', lr: 2e-3 },
    schedule: { kind: 'cosine', warmupSteps: Math.min(50, Math.floor(steps / 10)), minLrRatio: 0.1 },
    clipGradNorm: 1,
    seed: 0,
    resume: false,
    logEvery: 50,
    diagnosticsEvery: 0,
  }).fit(train);
  const seconds = (Date.now() - start) / 1000;
  const h = result.lossHistory;
  const ppl = heldOutPerplexity(method);
  rows.push({
    name,
    ppl,
    ...probeEncoder((x) => method.embed(x)),
    seconds,
    loss: `${h[0]!.toFixed(2)} -> ${h[h.length - 1]!.toFixed(2)}`,
  });
  if (!(ppl * MARGIN < randomPpl)) failed = true;
  if (method instanceof CausalLm) {
    const prompt = tok.encode('The state of the Union');
    for (const [label, o] of [
      ['greedy', {}],
      ['temperature 0.8, top-p 0.9', { temperature: 0.8, topP: 0.9, rng: new Rng(7) }],
      ['temperature 1, top-k 40', { temperature: 1, topK: 40, rng: new Rng(7) }],
    ] as const) {
      samples.push(
        `- ${label}: "The state of the Union${tok.decode(method.generate(prompt, { maxNewTokens: 30, ...o }))}"`,
      );
    }
  }
  await fineTuneRow(name, method.encoder);
  method.dispose();
}

const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(3));
const fs = (x: Stat) => (fineTuneSeeds === 1 ? f3(x.mean) : `${f3(x.mean)} (${f3(x.min)}-${f3(x.max)})`);
const lines = [
  `State of the Union, ${trainSpeeches.length} training / ${testSpeeches.length} held-out speeches (Democrat vs Republican, every 4th speech held out); byte-level BPE of ${tok.vocabSize} tokens trained on the training speeches; transformer ${layers} layers x ${dim} wide, context ${contextLength}; ${steps} steps of batch ${batchSize} (${train.size} training windows); backend ${backend.name}. Perplexity on ${heldOut.size} held-out windows (MLM: pseudo-perplexity of the masked 15%). Probe per speech on the mean embedding of its first ${windowsPerSpeech} windows: logistic regression and kNN (k=5).`,
  '',
  '| model | held-out perplexity | linear probe | kNN | pretraining time | loss (first -> last step) |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.ppl ? r.ppl.toFixed(1) : ''} | ${f3(r.linear)} | ${f3(r.knn)} | ${r.seconds ? `${r.seconds.toFixed(0)} s` : ''} | ${r.loss ?? ''} |`,
  ),
];
lines.push(
  '',
  `Fine-tuning for classification: a fresh linear head on every encoder, trained on the ${trainWin.ds.size} windows of the training speeches (each labelled with its speech's party), ${fineTuneSteps} steps of batch 32, Adam with the encoder at lr ${fineTuneLr} and the head at 10x, 10% warm-up then cosine, weight decay 1e-4, gradient clipping 1, ${fineTuneSeeds === 1 ? 'seed 0' : `mean over seeds 0-${fineTuneSeeds - 1} (head initialisation, batch order) with the range in brackets`} (core's fineTune). "Head only" freezes the encoder (the same loop with the encoder's weights fixed). A speech is classified by averaging the logits of its windows; per-window accuracy on the ${testWin.ds.size} test windows beside it.`,
  '',
  '| encoder | head only, per speech | head only, per window | fine-tuned, per speech | fine-tuned, per window | fine-tuning time (one run) |',
  '|---|---|---|---|---|---|',
  ...ftRows.map(
    (r) =>
      `| ${r.name} | ${fs(r.headOnly)} | ${fs(r.headOnlyWindow)} | ${fs(r.full)} | ${fs(r.fullWindow)} | ${r.seconds.toFixed(0)} s |`,
  ),
);
if (samples.length) lines.push('', 'CLM continuations of "The state of the Union":', ...samples);

console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
console.error(`text bench: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (failed && !SMOKE) {
  console.error(`a method's held-out perplexity was not ${MARGIN}x lower than its random-init model's`);
  process.exit(1);
}
