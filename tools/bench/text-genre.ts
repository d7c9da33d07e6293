// Genre of Brown-corpus passages: a second text set, not State of the Union, under the evaluation
// protocol (docs/protocol.md; SPLITS.brown: documents numbered 0 mod 5 within their genre are
// test, 1 mod 5 validation, the rest train). Documents (POS tags stripped) are cut into passages
// of 200 words; a passage's label is its document's genre (15 genres). For each seed, a
// byte-level BPE and MLM / CLM at the text bench's defaults are pretrained on the training
// passages; the probe embeds a passage as the mean of its windows' embeddings, beside the
// protocol's baselines: TF-IDF (classical), the majority class, the random-init encoder, and the
// same encoder fine-tuned on the training passages' genres (per-window accuracy). Mean ± std over
// --seeds. Reports only; it exits 0 (what carries over to genre is the open question it measures).
// SimCSE (--methods simcse) starts from scratch (default, chosen on validation) or from that
// seed's MLM encoder (--simcse-init mlm; shared with the mlm row when both are listed), then
// trains --simcse-steps steps of the contrastive objective; its random-init and supervised rows
// equal the mlm ones (same encoder, same seeds) and are skipped when mlm is listed.
// --simcse-positives adjacent (the default, chosen on validation; `dropout` is the paper's pair)
// takes each anchor's positive from the neighbouring window of the same text: SimCSE pretrains
// on samples of 2 x --context tokens cut from the training passages' token stream, split into
// their halves; passages are still embedded window by window. --supervised-steps 0 skips
// fine-tuning.
//
//   node --conditions=source --import tsx tools/bench/text-genre.ts [--steps 300] [--methods mlm,clm,data2vec]
//        [--context 64] [--vocab 2048] [--dim 64] [--layers 2] [--batch-size 16] [--seeds 0,1,2]
//        [--split test|validation] [--supervised-steps N] [--markdown FILE]
//        [--simcse-steps 300] [--simcse-lr 1e-3] [--simcse-init scratch|mlm] [--temperature 0.05]
//        [--pooling mean|first] [--dropout 0.1] [--simcse-batch-size 64] [--simcse-positives adjacent|dropout]
// Needs: npx autodidact data fetch brown
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Encoder, embedDataset, fineTune, initBackend, Rng, TensorDataset, Trainer } from '@autodidact/core';
import {
  CausalLm,
  Data2VecText,
  describeTokenizer,
  MaskedLm,
  SimCse,
  setActiveTokenizer,
  TransformerTextEncoder,
  trainBpe,
  windowsOfTexts,
} from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';
import {
  exitOnUsageError,
  parseChoice,
  dataRoot,
  evaluationSet,
  fitTfidf,
  HeldOut,
  MARGIN_RULE,
  marginReport,
  PROBE_CAPTION,
  parsePhase,
  parseSeeds,
  probeFeatures,
  probeTable,
  RANDOM_INIT,
  type ScoreRow,
  SUPERVISED,
  type Splits,
  testReadSummary,
} from './protocol/index.js';
import { benchFlags } from './smoke.js';

exitOnUsageError();

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  { steps: '2', context: '32', vocab: '300', 'batch-size': '4', seeds: '1', 'supervised-steps': '2', documents: '60' },
  args,
);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'mlm,clm').split(',');
const contextLength = Number(flag('context', '64'));
const vocabSize = Number(flag('vocab', '2048'));
const dim = Number(flag('dim', '64'));
const layers = Number(flag('layers', '2'));
const batchSize = Number(flag('batch-size', '16'));
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const supervisedSteps = Number(flag('supervised-steps', String(steps)));
const maxDocuments = Number(flag('documents', '500'));
const markdown = flag('markdown', '');
const simcseSteps = Number(flag('simcse-steps', String(steps)));
const simcseLr = Number(flag('simcse-lr', '1e-3'));
const simcseInit = flag('simcse-init', 'scratch');
const simcseBatch = Number(flag('simcse-batch-size', '64'));
const simcseOptions = {
  temperature: Number(flag('temperature', '0.05')),
  pooling: flag('pooling', 'mean') as 'mean' | 'first',
  dropout: Number(flag('dropout', '0.1')),
  positives: parseChoice('--simcse-positives', flag('simcse-positives', 'adjacent'), ['adjacent', 'dropout']),
};
if (simcseInit !== 'mlm' && simcseInit !== 'scratch') {
  console.error(`--simcse-init: expected mlm or scratch, got ${simcseInit}`);
  process.exit(2);
}
const PASSAGE_WORDS = 200;
const GENRES = 'abcdefghjklmnpr';

const backend = await initBackend();
const dir = join(dataRoot(), 'brown');
if (!existsSync(dir)) {
  console.error(`missing ${dir}: run npx autodidact data fetch brown`);
  process.exit(2);
}

type Passage = { words: string[]; genre: number };
/** Passages of one split, in file order. */
const splitOf = (file: string) => {
  const n = Number(file.slice(2));
  return n % 5 === 0 ? 'test' : n % 5 === 1 ? 'validation' : 'train';
};
// Spread --documents over the genres: every k-th file name (all 500 by default).
const allFiles = readdirSync(dir)
  .filter((f) => /^c[a-r]\d\d$/.test(f))
  .sort();
const files = allFiles.filter((_, i) => i % Math.max(1, Math.floor(allFiles.length / maxDocuments)) === 0);
function passagesOf(list: string[]): Passage[] {
  const out: Passage[] = [];
  for (const f of list) {
    const words = readFileSync(join(dir, f), 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => t.slice(0, Math.max(1, t.lastIndexOf('/'))));
    const genre = GENRES.indexOf(f[1]!);
    for (let s = 0; s + PASSAGE_WORDS / 2 <= words.length; s += PASSAGE_WORDS)
      out.push({ words: words.slice(s, s + PASSAGE_WORDS), genre });
  }
  return out;
}
const byPhase = (p: string) => files.filter((f) => splitOf(f) === p);
const splits: Splits<Passage[]> = {
  train: passagesOf(byPhase('train')),
  validation: passagesOf(byPhase('validation')),
  test: new HeldOut('brown', phase === 'test' ? passagesOf(byPhase('test')) : []),
};
const labelsOf = (ps: Passage[]) => Int32Array.from(ps, (p) => p.genre);
console.error(
  `brown: ${splits.train.length} training / ${splits.validation.length} validation passages of ${PASSAGE_WORDS} words, ${GENRES.length} genres`,
);

const text = (p: Passage) => p.words.join(' ');
const tok = await trainBpe(
  splits.train.map((p) => `${text(p)}\n`),
  { vocabSize },
);
const active = describeTokenizer(tok, tok.toJSON());
setActiveTokenizer(active);
const wopt = { contextLength, eosId: active.eosId, padId: active.padId };
/** Every window of every passage, and the passage of each window. */
function windowsOf(ps: Passage[]): { ds: TensorDataset; passage: Int32Array } {
  const rows: Int32Array[] = [];
  const passage: number[] = [];
  ps.forEach((p, i) => {
    const w = windowsOfTexts([tok.encode(text(p))], wopt);
    rows.push(w);
    for (let k = 0; k < w.length / contextLength; k++) passage.push(i);
  });
  const flat = new Int32Array(passage.length * contextLength);
  let o = 0;
  for (const r of rows) {
    flat.set(r, o);
    o += r.length;
  }
  const labels = Int32Array.from(passage, (i) => ps[i]!.genre);
  return {
    ds: new TensorDataset(tf.tensor2d(flat, [passage.length, contextLength], 'int32'), labels),
    passage: Int32Array.from(passage),
  };
}
const windowCache = new Map<Passage[], ReturnType<typeof windowsOf>>();
const windows = (ps: Passage[]) => windowCache.get(ps) ?? windowCache.set(ps, windowsOf(ps)).get(ps)!;
const pretrain = windows(splits.train).ds;
/**
 * SimCSE's training samples: the windows, or with adjacent positives samples of two windows cut
 * from the training passages' token stream in file order (each passage closed by end-of-text), as
 * the CLI's loader cuts a corpus: a sample's halves are neighbouring text, from one document but
 * at a document's end.
 */
function simcseSamplesOf(): TensorDataset {
  if (simcseOptions.positives !== 'adjacent') return pretrain;
  const length = 2 * contextLength;
  const ids = splits.train.map((p) => tok.encode(text(p)));
  const flat = windowsOfTexts(ids, { contextLength: length, eosId: active.eosId, padId: active.padId });
  return new TensorDataset(tf.tensor2d(flat, [flat.length / length, length], 'int32'));
}
/** Built on first use: runs without SimCSE do not tokenise the training passages again. */
let simcseSamples: TensorDataset | undefined;
const simcseData = () => (simcseSamples ??= simcseSamplesOf());

/** Passage embeddings: the mean of its windows' embeddings. */
function passageEmbeddings(embed: (x: tf.Tensor) => tf.Tensor2D, ps: Passage[]): tf.Tensor2D {
  const { ds, passage } = windows(ps);
  const z = embedDataset(embed, ds, 128);
  const out = tf.tidy(() => {
    const sums = tf.unsortedSegmentSum(z, tf.tensor1d(passage, 'int32'), ps.length);
    const counts = tf.unsortedSegmentSum(tf.ones([passage.length, 1]), tf.tensor1d(passage, 'int32'), ps.length);
    return tf.div(sums, counts) as tf.Tensor2D;
  });
  z.dispose();
  return out;
}
async function probe(features: (ps: Passage[]) => tf.Tensor2D, label: string, seed: number) {
  const trainX = features(splits.train);
  try {
    return await evaluationSet(splits, phase, label, async (set) => {
      const evalX = features(set);
      const r = await probeFeatures(trainX, labelsOf(splits.train), evalX, labelsOf(set), seed, GENRES.length);
      evalX.dispose();
      return r;
    });
  } finally {
    trainX.dispose();
  }
}

const evalLabels = evaluationSet(splits, phase, 'majority class', labelsOf);
const counts = Array.from(GENRES, (_, c) => evalLabels.filter((y) => y === c).length);
const majority = Math.max(...counts) / evalLabels.length;
const rows: ScoreRow[] = [
  { name: 'majority class', scores: [{ linear: majority, knn20: majority, knn200: majority }] },
];
const tfidf = fitTfidf(splits.train.map((p) => p.words.map((w) => w.toLowerCase())));
const tfidfRow: ScoreRow = { name: 'TF-IDF bag of words (5,000 words)', scores: [] };
for (const seed of seeds)
  tfidfRow.scores.push(
    await probe((ps) => tfidf(ps.map((p) => p.words.map((w) => w.toLowerCase()))), `TF-IDF seed ${seed}`, seed),
  );
rows.push(tfidfRow);

const verdicts: string[] = [];
/** Trained MLM methods by seed, kept for SimCSE to start from. */
const trainedMlm = new Map<number, MaskedLm>();
async function fit(
  method: MaskedLm | CausalLm | SimCse | Data2VecText,
  seed: number,
  n: number,
  lr: number,
  batch: number,
  data = pretrain,
) {
  await new Trainer(method, {
    batchSize: batch,
    steps: n,
    optimizer: { name: 'adam', lr },
    schedule: { kind: 'cosine', warmupSteps: Math.min(50, Math.floor(n / 10)), minLrRatio: 0.1 },
    clipGradNorm: 1,
    seed,
    resume: false,
    logEvery: 50,
    diagnosticsEvery: 0,
  }).fit(data);
}
async function trainMlm(seed: number, options: { dim: number; layers: number; heads: number }) {
  const m = new MaskedLm([contextLength], options, new Rng(seed));
  await fit(m, seed, steps, 2e-3, batchSize);
  return m;
}
for (const name of names) {
  const randomRow: ScoreRow = { name: `${name} ${RANDOM_INIT}`, scores: [] };
  const supRow: ScoreRow = {
    name: `${SUPERVISED} (${name} encoder, ${supervisedSteps} steps, per window)`,
    scores: [],
  };
  const row: ScoreRow = { name: `${name} (mean of window embeddings)`, scores: [] };
  const seconds: number[] = [];
  const sameAsMlm = name === 'simcse' && names.includes('mlm');
  for (const seed of seeds) {
    const options = { dim, layers, heads: Math.max(1, dim / 32) };
    const create = (s: number) =>
      name === 'mlm'
        ? new MaskedLm([contextLength], options, new Rng(s))
        : name === 'simcse'
          ? new SimCse(simcseData().sampleShape as number[], { ...options, ...simcseOptions }, new Rng(s))
          : name === 'data2vec'
            ? new Data2VecText([contextLength], options, new Rng(s))
            : new CausalLm([contextLength], options, new Rng(s));
    const config = (() => {
      const m = create(seed);
      const c = m.encoder.config;
      m.dispose();
      return c;
    })();
    const method = create(seed);
    const t0 = Date.now();
    if (name === 'simcse') {
      if (simcseInit === 'mlm') {
        const mlm = trainedMlm.get(seed) ?? (await trainMlm(seed, options));
        (method as SimCse).initFrom(mlm.encoder);
        mlm.dispose();
        trainedMlm.delete(seed);
      }
      await fit(method, seed, simcseSteps, simcseLr, simcseBatch, simcseData());
    } else await fit(method, seed, steps, 2e-3, batchSize);
    seconds.push((Date.now() - t0) / 1000);
    row.scores.push(await probe((ps) => passageEmbeddings((x) => method.embed(x), ps), `${name} seed ${seed}`, seed));
    if (name === 'mlm' && names.includes('simcse') && simcseInit === 'mlm') trainedMlm.set(seed, method as MaskedLm);
    else method.dispose();
    if (sameAsMlm) continue;
    const r = new TransformerTextEncoder(config, new Rng(seed + 1000));
    randomRow.scores.push(
      await probe((ps) => passageEmbeddings((x) => r.apply(x, false), ps), `${name} random init seed ${seed}`, seed),
    );
    r.dispose();
    if (supervisedSteps <= 0) continue;
    const fresh = new TransformerTextEncoder(config, new Rng(seed + 1000)) as Encoder<tf.Tensor>;
    const sup = await evaluationSet(splits, phase, `${name} supervised seed ${seed}`, async (set) => {
      const res = await fineTune({
        encoder: fresh,
        train: windows(splits.train).ds,
        test: windows(set).ds,
        numClasses: GENRES.length,
        steps: supervisedSteps,
        batchSize: 32,
        lr: 3e-4,
        seed,
        evalTrain: false,
        progress: { quiet: true },
      });
      return res.accuracy;
    });
    fresh.dispose();
    supRow.scores.push({ linear: sup, knn20: Number.NaN, knn200: Number.NaN });
  }
  row.extra = [`${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(0)} s`];
  const own = sameAsMlm ? [] : supervisedSteps > 0 ? [randomRow, supRow] : [randomRow];
  rows.push(...own, row);
  const mlmRows = rows.filter((r) => r.name.startsWith('mlm '));
  const against = sameAsMlm ? [...mlmRows, tfidfRow] : [randomRow, tfidfRow];
  verdicts.push(...marginReport([row], against).lines);
  console.error(
    probeTable([...own, row])
      .slice(2)
      .join('\n'),
  );
}

const lines = [
  `Brown corpus genre (15 genres), ${phase} split: ${splits.train.length} training passages of ${PASSAGE_WORDS} words from ${byPhase('train').length} documents; ${phase} passages from documents numbered ${phase === 'test' ? '0' : '1'} mod 5 within their genre (whole documents held out). Byte-level BPE of ${tok.vocabSize} tokens, transformer ${layers} x ${dim}, context ${contextLength}, ${steps} steps of batch ${batchSize} (the text bench's defaults) on the training passages' ${pretrain.size} windows; a passage is embedded as the mean of its windows' embeddings. Seeds ${seeds.join(', ')} (mean ± std), backend ${backend.name}. ${PROBE_CAPTION} Margin: ${MARGIN_RULE}. ${testReadSummary()}. ${new Date().toISOString().slice(0, 10)}.`,
  '',
  ...probeTable(rows, 'features', ['pretraining time (mean)']),
  '',
  ...verdicts,
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
