// Convergence check for the text methods on real State of the Union speeches under the evaluation
// protocol (docs/protocol.md; SPLITS['sotu-party']: speeches i % 4 in {0, 1} train, 2 validation,
// 3 test): a byte-level BPE trained on the training speeches, MLM and CLM pretrained for a fixed
// number of steps per seed, then perplexity on the evaluation speeches (beside the random-init
// model and a unigram model), a Democrat-vs-Republican probe per speech (mean of its window
// embeddings; the protocol's linear and kNN k=20/200 probes) beside TF-IDF bag-of-words, a
// random-init encoder and the majority class. Mean ± std over --seeds. Exits 1 when a method's
// perplexity does not beat its random-init model's under the margin rule applied to log
// perplexity with a floor of ln 2 (at least 2x lower). `--split validation` scores on the
// validation speeches and never reads the test split. Yarowsky's pseudo-word evaluation is
// tools/bench/yarowsky-results.ts (npm run bench:yarowsky).
//
//   node --conditions=source --import tsx tools/bench/text-convergence.ts [--steps N] [--methods mlm,clm]
//        [--context N] [--vocab N] [--dim N] [--layers N] [--batch-size N] [--windows N]
//        [--seeds 0,1,2] [--split test|validation] [--markdown FILE] [--finetune-steps N] [--finetune-lr X]
//        [--methods mlm,clm,simcse,data2vec] [--simcse-steps N] [--simcse-lr 1e-3] [--simcse-batch-size 64]
//        [--simcse-positives adjacent|dropout]
//
// SimCSE and data2vec (no perplexity: they are not language models) are probed and fine-tuned like
// MLM and CLM. SimCSE trains from scratch with the settings chosen on the Brown genre set's
// validation split (tools/bench/text-genre.ts: lr 1e-3, batch 64, temperature 0.05, mean pooling,
// dropout 0.1, adjacent positives: it trains on samples of 2 x --context tokens of the training
// speeches, each split into an anchor window and its neighbour, and embeds single windows);
// nothing here is chosen on State of the Union. --finetune-steps 0 skips fine-tuning.
//
// Fine-tuning: every encoder (random init, MLM, CLM) also gets a fresh linear head trained per
// window with its speech's label, once with the encoder frozen (head only) and once end-to-end
// (core's fineTune, same steps and seed for all; from random init this is the supervised
// baseline of the same architecture), scored per speech by averaging the logits of its windows.
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Encoder,
  type FineTuneResult,
  fineTune,
  initBackend,
  Rng,
  TensorDataset,
  Trainer,
} from '@autodidact/core';
import {
  CausalLm,
  corpusWindows,
  Data2VecText,
  describeTokenizer,
  MaskedLm,
  PerplexityMeter,
  readFileLines,
  setActiveTokenizer,
  SimCse,
  sotuPartySplit,
  TransformerTextEncoder,
  trainBpe,
  words,
} from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';
import {
  exitOnUsageError,
  parseChoice,
  evaluationSet,
  fitTfidf,
  formatMeanStd,
  HeldOut,
  MARGIN_RULE,
  marginOf,
  marginReport,
  PROBE_CAPTION,
  parsePhase,
  parseSeeds,
  probeFeatures,
  probeTable,
  RANDOM_INIT,
  type ScoreRow,
  type Splits,
  testReadSummary,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

exitOnUsageError();

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
    seeds: '1',
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
const markdown = flag('markdown', '');
const fineTuneSteps = Number(flag('finetune-steps', '300'));
const fineTuneLr = Number(flag('finetune-lr', '3e-4'));
const seeds = parseSeeds(flag('seeds', '3'));
const simcseSteps = Number(flag('simcse-steps', String(steps)));
const simcseLr = Number(flag('simcse-lr', '1e-3'));
const simcseBatch = Number(flag('simcse-batch-size', '64'));
const simcsePositives = parseChoice('--simcse-positives', flag('simcse-positives', 'adjacent'), [
  'adjacent',
  'dropout',
]);
const known = ['mlm', 'clm', 'simcse', 'data2vec'];
for (const n of names) {
  if (!known.includes(n)) {
    console.error(`--methods: unknown method ${n}; expected some of ${known.join(', ')}`);
    process.exit(2);
  }
}
const phase = parsePhase(flag('split', 'test'));

const backend = await initBackend();
const split = await sotuPartySplit();
const t0 = Date.now();

type Speech = { file: string; label: number };
// Speeches of a folder of the party split, with their labels (0 democrat, 1 republican), sorted by file name (year).
async function speeches(root: string): Promise<Speech[]> {
  const out: Speech[] = [];
  for (const [label, cls] of ['democrat', 'republican'].entries()) {
    for (const f of (await readdir(join(root, cls))).sort()) out.push({ file: join(root, cls, f), label });
  }
  return out.sort((a, b) => (a.file.split('/').at(-1)! < b.file.split('/').at(-1)! ? -1 : 1));
}
// sotuPartySplit's train folder holds the speeches with i % 4 in {0, 1, 2}: in year order every
// third of them (i % 4 == 2) is the validation split.
const nonTest = await speeches(split.train);
const speechSplits: Splits<Speech[]> = {
  train: nonTest.filter((_, i) => i % 3 !== 2),
  validation: nonTest.filter((_, i) => i % 3 === 2),
  test: new HeldOut('sotu-party', await speeches(split.test)),
};
const trainSpeeches = speechSplits.train;
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
/** SimCSE's samples with adjacent positives: two windows of the training speeches' token stream each. */
let pairs: TensorDataset | undefined;
const simcsePairs = async () =>
  (pairs ??= await corpusWindows(
    trainSpeeches.map((s) => s.file),
    tok,
    { ...wopt, contextLength: 2 * contextLength },
  ));
/** Up to 400 windows of the evaluation speeches (validation, or test through report). */
const heldOutWindows = async (list: Speech[]) =>
  (
    await corpusWindows(
      list.map((s) => s.file),
      tok,
      wopt,
    )
  ).slice(0, 400);
// The test split's files are opened only on a test run.
const evalWindows =
  phase === 'test'
    ? await speechSplits.test.report('held-out windows (perplexity of every model)', heldOutWindows)
    : await heldOutWindows(speechSplits.validation);
console.error(
  `text bench: BPE ${tok.vocabSize} tokens, ${train.size} training windows of ${contextLength}, ${evalWindows.size} ${phase} windows (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
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
  const h = evalWindows.inputs.dataSync();
  const nll: number[] = [];
  for (let i = 0; i < h.length; i++)
    if (h[i] !== active.padId && i % contextLength !== 0) nll.push(-Math.log(counts[h[i]!]! / n));
  m.add(nll);
  return m.perplexity;
})();

function evalPerplexity(m: MaskedLm | CausalLm): number {
  const meter = new PerplexityMeter();
  const rng = new Rng(123);
  for (let i = 0; i < evalWindows.size; i += 32) {
    const idx = Array.from({ length: Math.min(32, evalWindows.size - i) }, (_, k) => i + k);
    const b = evalWindows.getBatch(idx);
    meter.add(m.evalNll(b, rng));
    b.dispose();
  }
  return meter.perplexity;
}

// Per speech: its first windows (the probe embeds their mean).
const speechWindows = async (list: Speech[]) =>
  Promise.all(list.map((s) => corpusWindows([s.file], tok, { ...wopt, limit: windowsPerSpeech })));
type SpeechSet = { windows: TensorDataset[]; labels: Int32Array };
const toSet = async (list: Speech[]): Promise<SpeechSet> => ({
  windows: await speechWindows(list),
  labels: Int32Array.from(list.map((s) => s.label)),
});
const windowSplits: Splits<SpeechSet> = {
  train: await toSet(speechSplits.train),
  validation: await toSet(speechSplits.validation),
  test: new HeldOut(
    'sotu-party',
    phase === 'test'
      ? await speechSplits.test.report('speech windows (probes of every model)', toSet)
      : { windows: [], labels: new Int32Array(0) },
  ),
};

function speechEmbeddings(embed: (x: tf.Tensor) => tf.Tensor2D, set: SpeechSet): tf.Tensor2D {
  return tf.tidy(() => tf.stack(set.windows.map((ds) => tf.mean(embed(ds.inputs), 0))) as tf.Tensor2D);
}
/** The protocol's probes on per-speech features (validation, or test through report(label)). */
async function probeSpeeches(features: (set: SpeechSet) => tf.Tensor2D, label: string, seed: number) {
  const trainX = features(windowSplits.train);
  try {
    return await evaluationSet(windowSplits, phase, label, async (set) => {
      const evalX = features(set);
      const r = await probeFeatures(trainX, windowSplits.train.labels, evalX, set.labels, seed, 2);
      evalX.dispose();
      return r;
    });
  } finally {
    trainX.dispose();
  }
}

// Fine-tuning data: every window of the probe speeches, labelled with its speech's party; the
// speech of each evaluation window, to score per speech by averaging the logits of its windows
// (the usual way to classify a document longer than the model's context).
function windowSet(set: SpeechSet) {
  const inputs = tf.concat(set.windows.map((ds) => ds.inputs));
  const speech = Int32Array.from(set.windows.flatMap((ds, i) => new Array<number>(ds.size).fill(i)));
  return {
    ds: new TensorDataset(
      inputs,
      Int32Array.from(speech, (i) => set.labels[i]!),
    ),
    speech,
    labels: set.labels,
  };
}
type WindowSet = ReturnType<typeof windowSet>;
const trainWin = windowSet(windowSplits.train);
const evalWinOf = (() => {
  let made: WindowSet | undefined;
  return (set: SpeechSet) => {
    made ??= windowSet(set);
    return made;
  };
})();
function perSpeechAccuracy(r: FineTuneResult, win: WindowSet): number {
  const k = r.numClasses;
  const sums = new Float64Array(win.labels.length * k);
  for (let w = 0; w < win.speech.length; w++) {
    for (let c = 0; c < k; c++) sums[win.speech[w]! * k + c]! += r.testLogits[w * k + c]!;
  }
  let hits = 0;
  for (let s = 0; s < win.labels.length; s++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (sums[s * k + c]! > sums[s * k + best]!) best = c;
    if (best === win.labels[s]) hits++;
  }
  return hits / win.labels.length;
}
type FtRow = {
  name: string;
  headOnly: number[];
  headOnlyWindow: number[];
  full: number[];
  fullWindow: number[];
  seconds: number[];
};
const ftRows = new Map<string, FtRow>();
/** Head-only and end-to-end fine-tuning of `encoder` for one seed (weights restored after each). */
async function fineTuneRow(name: string, encoder: Encoder<tf.Tensor>, seed: number): Promise<void> {
  if (fineTuneSteps <= 0) return;
  const row =
    ftRows.get(name) ??
    ftRows.set(name, { name, headOnly: [], headOnlyWindow: [], full: [], fullWindow: [], seconds: [] }).get(name)!;
  await evaluationSet(windowSplits, phase, `${name} fine-tuning seed ${seed}`, async (set) => {
    const evalWin = evalWinOf(set);
    const common = {
      encoder,
      train: trainWin.ds,
      test: evalWin.ds,
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
    row.seconds.push((Date.now() - start) / 1000);
    row.headOnly.push(perSpeechAccuracy(frozen, evalWin));
    row.headOnlyWindow.push(frozen.accuracy);
    row.full.push(perSpeechAccuracy(full, evalWin));
    row.fullWindow.push(full.accuracy);
  });
}

// TF-IDF bag of words (the protocol's classical text features), fitted on the training speeches.
const tfidfFeatures = await (async () => {
  const docs = new Map<string, string[]>();
  const read = async (list: Speech[]) => {
    for (const s of list) docs.set(s.file, words(await textOf(s.file)));
  };
  await read(speechSplits.train);
  await read(speechSplits.validation);
  const tfidf = fitTfidf(speechSplits.train.map((s) => docs.get(s.file)!));
  const testList =
    phase === 'test'
      ? await speechSplits.test.report('TF-IDF documents (read once, features of every seed)', async (t) => {
          await read(t);
          return t;
        })
      : [];
  const bySet = new Map<Int32Array, Speech[]>([
    [windowSplits.train.labels, speechSplits.train],
    [windowSplits.validation.labels, speechSplits.validation],
  ]);
  return (set: SpeechSet) => tfidf((bySet.get(set.labels) ?? testList).map((s) => docs.get(s.file)!));
})();

const evalLabels = evaluationSet(windowSplits, phase, 'majority class', (set) => set.labels);
const majority = Math.max(...[0, 1].map((c) => evalLabels.filter((y) => y === c).length)) / evalLabels.length;
type Row = ScoreRow & { ppl: number[]; seconds: number[]; loss?: string };
const newRow = (name: string): Row => ({ name, scores: [], ppl: [], seconds: [] });
const majorityRow = newRow('majority class');
majorityRow.scores.push({ linear: majority, knn20: majority, knn200: majority });
const tfidfRow = newRow('TF-IDF bag of words (5,000 words)');
const unigramRow = newRow('unigram LM (add-one)');
unigramRow.ppl.push(unigram);
const rows: Row[] = [majorityRow, tfidfRow, unigramRow];
for (const seed of seeds) tfidfRow.scores.push(await probeSpeeches(tfidfFeatures, `TF-IDF seed ${seed}`, seed));
const verdicts: string[] = [];
let failed = false;
const samples: string[] = [];
for (const name of names) {
  const randomRow = newRow(`${name} ${RANDOM_INIT}`);
  const row = newRow(name);
  for (const seed of seeds) {
    const options = { dim, layers, heads: Math.max(1, dim / 32) };
    const create = (s: number) =>
      name === 'mlm'
        ? new MaskedLm([contextLength], options, new Rng(s))
        : name === 'simcse'
          ? new SimCse(
              [simcsePositives === 'adjacent' ? 2 * contextLength : contextLength],
              { ...options, temperature: 0.05, pooling: 'mean', dropout: 0.1, positives: simcsePositives },
              new Rng(s),
            )
          : name === 'data2vec'
            ? new Data2VecText([contextLength], options, new Rng(s))
            : new CausalLm([contextLength], options, new Rng(s));
    const isLm = (m: unknown): m is MaskedLm | CausalLm => m instanceof MaskedLm || m instanceof CausalLm;
    const random = create(seed + 1000);
    if (isLm(random)) randomRow.ppl.push(evalPerplexity(random));
    const r = new TransformerTextEncoder(random.encoder.config, new Rng(seed + 1000));
    randomRow.scores.push(
      await probeSpeeches(
        (set) => speechEmbeddings((x) => r.apply(x, false), set),
        `${name} random init seed ${seed}`,
        seed,
      ),
    );
    await fineTuneRow(`${name} ${RANDOM_INIT}`, r, seed);
    r.dispose();
    random.dispose();
    const method = create(seed);
    const start = Date.now();
    const [n, lr, batch] = name === 'simcse' ? [simcseSteps, simcseLr, simcseBatch] : [steps, 2e-3, batchSize];
    const result = await new Trainer(method, {
      batchSize: batch,
      steps: n,
      optimizer: { name: 'adam', lr },
      schedule: { kind: 'cosine', warmupSteps: Math.min(50, Math.floor(n / 10)), minLrRatio: 0.1 },
      clipGradNorm: 1,
      seed,
      resume: false,
      logEvery: 50,
      diagnosticsEvery: 0,
    }).fit(name === 'simcse' && simcsePositives === 'adjacent' ? await simcsePairs() : train);
    row.seconds.push((Date.now() - start) / 1000);
    const h = result.lossHistory;
    if (isLm(method)) row.ppl.push(evalPerplexity(method));
    row.scores.push(
      await probeSpeeches((set) => speechEmbeddings((x) => method.embed(x), set), `${name} seed ${seed}`, seed),
    );
    row.loss = `${h[0]!.toFixed(2)} -> ${h[h.length - 1]!.toFixed(2)}`;
    if (method instanceof CausalLm && seed === seeds[0]) {
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
    await fineTuneRow(name, method.encoder, seed);
    method.dispose();
  }
  rows.push(randomRow, row);
  if (!row.ppl.length) {
    // Not a language model: the party probe's verdicts only, against its random init, TF-IDF and MLM when run.
    const mlmRow = rows.find((r) => r.name === 'mlm');
    verdicts.push(
      ...marginReport([row], [randomRow, tfidfRow, ...(mlmRow ? [mlmRow] : [])]).lines.map(
        (l) => `${l} (party, linear probe)`,
      ),
    );
    continue;
  }
  // Perplexity: the margin rule on -log perplexity, with ln 2 as the floor (at least 2x lower).
  const m = marginOf(
    row.ppl.map((p) => -Math.log(p)),
    randomRow.ppl.map((p) => -Math.log(p)),
    Math.log(2),
  );
  verdicts.push(
    `- ${name} perplexity vs its random init: log ratio ${m.difference.toFixed(2)} vs threshold ${m.threshold.toFixed(2)}: ${m.beats ? 'beats' : 'does not beat'}`,
    ...marginReport([row], [randomRow, tfidfRow]).lines.map((l) => `${l} (party, linear probe)`),
  );
  if (!m.beats) failed = true;
}

const pplCell = (r: Row) => (r.ppl.length ? formatMeanStd(r.ppl, 1) : '');
const lines = [
  `State of the Union, ${speechSplits.train.length} training / ${speechSplits.validation.length} validation speeches, ${phase} split (Democrat vs Republican; speeches i % 4 = 2 validation, 3 test); byte-level BPE of ${tok.vocabSize} tokens trained on the training speeches; transformer ${layers} layers x ${dim} wide, context ${contextLength}; ${steps} steps of batch ${batchSize} (${train.size} training windows) per seed; seeds ${seeds.join(', ')} (mean ± std); backend ${backend.name}. Perplexity on ${evalWindows.size} ${phase} windows (MLM: pseudo-perplexity of the masked 15%). Probe per speech on the mean embedding of its first ${windowsPerSpeech} windows. ${PROBE_CAPTION} Margin: ${MARGIN_RULE}. ${testReadSummary()}.`,
  '',
  ...probeTable(
    rows.map((r) => ({
      ...r,
      extra: [
        pplCell(r),
        r.seconds.length ? `${(r.seconds.reduce((a, b) => a + b, 0) / r.seconds.length).toFixed(0)} s` : '',
        r.loss ?? '',
      ],
    })),
    'model',
    ['perplexity', 'pretraining time (mean)', 'loss (first -> last step, last seed)'],
  ),
  '',
  ...verdicts,
];
const fs = (xs: number[]) => formatMeanStd(xs);
lines.push(
  '',
  `Fine-tuning for classification: a fresh linear head on every encoder, trained on the ${trainWin.ds.size} windows of the training speeches (each labelled with its speech's party), ${fineTuneSteps} steps of batch 32, Adam with the encoder at lr ${fineTuneLr} and the head at 10x, 10% warm-up then cosine, weight decay 1e-4, gradient clipping 1, per seed (head initialisation, batch order; core's fineTune); from random init, end to end, it is the supervised baseline of the same architecture. "Head only" freezes the encoder (the same loop with the encoder's weights fixed). A speech is classified by averaging the logits of its windows; per-window accuracy beside it.`,
  '',
  '| encoder | head only, per speech | head only, per window | fine-tuned, per speech | fine-tuned, per window | fine-tuning time (one run) |',
  '|---|---|---|---|---|---|',
  ...[...ftRows.values()].map(
    (r) =>
      `| ${r.name} | ${fs(r.headOnly)} | ${fs(r.headOnlyWindow)} | ${fs(r.full)} | ${fs(r.fullWindow)} | ${(r.seconds.reduce((a, b) => a + b, 0) / r.seconds.length).toFixed(0)} s |`,
  ),
);
if (samples.length) lines.push('', 'CLM continuations of "The state of the Union":', ...samples);

console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
console.error(`text bench: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (failed && !SMOKE) {
  console.error(`a method's perplexity did not beat its random-init model's under the margin rule (at least 2x lower)`);
  process.exit(1);
}
