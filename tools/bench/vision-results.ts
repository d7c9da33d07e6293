// Results table of the vision methods on real MNIST / Fashion-MNIST: each method pretrains for
// a fixed number of optimizer steps at one batch size for all (default; the wall time and the
// median ms/step are reported beside it, since the machine is shared), or for a wall-clock
// budget with --minutes, or a CPU-time budget with --cpu-minutes (this process's user + system
// time, so other jobs on the machine do not shrink it); the step count is then set from a short
// timing run, so the learning-rate and momentum schedules complete. Its frozen encoder is then
// probed under the evaluation protocol (docs/protocol.md: linear, kNN k=20 and k=200, fixed
// splits, mean ± std over --seeds) beside the protocol's baselines: raw pixels, the random-init
// encoder of the same architecture as built and with its batch-norm statistics re-estimated,
// and the same encoder trained supervised on the probe's labels.
// S4L (semi-supervised: it sees --labeled labels, 1% of the training set by default) is reported
// in its own table beside a supervised-only baseline on the same labels, the same encoder and the
// same step budget (S4L with rotationWeight=0). Each row is printed as it lands and the markdown is
// rewritten to --markdown FILE after every method, so a cut-short run keeps what it measured.
// Exits 1 naming every self-supervised method that does not beat the re-estimated random-init
// encoder of its own architecture under the margin rule. `--split validation` scores on the
// validation split (to choose options) and never reads the test split.
//
//   node --conditions=source --import tsx tools/bench/vision-results.ts \
//     [--dataset fashion-mnist|mnist] [--steps 400] [--batch-size 128] [--minutes M | --cpu-minutes M]
//     [--seeds 0,1,2] [--split test|validation] [--supervised-steps N (0 skips the supervised row)]
//     [--methods simclr,byol,...|all] [--probe-train 10000] [--labeled 600]
//     [--test-limit 10000] [--width 16] [--markdown FILE]
//
// --width is conv-small's first-stage width for every method (16: the width of the tables in the
// vision README; the two-view methods' CLI default is 32), unless an entry gives its own.
//
// A --methods entry may carry options: `byol:baseMomentum=0.9` trains BYOL with that option
// (numbers, booleans, strings and number pairs `cropScale=0.5/1` are parsed; `lr=0.004` sets the
// trainer's learning rate instead; the row is named by the whole entry). Each row also reports collapse diagnostics of the validation embeddings (last seed): the std of
// the L2-normalised embeddings as a ratio to 1/sqrt(dim) (about 1 healthy, 0 collapsed) and the
// RankMe effective rank out of the embedding width.
import { writeFileSync } from 'node:fs';
import {
  collapseDiagnostics,
  type Encoder,
  type EncoderConfig,
  embedDataset,
  initBackend,
  Rng,
  type StepInfo,
  type TensorDataset,
  Trainer,
} from '@autodidact/core';
import { createEncoder, methods } from '@autodidact/vision';
import type * as tf from '@tensorflow/tfjs';
import {
  exitOnUsageError,
  parseChoice,
  UsageError,
  buildVisionMethod,
  imageSplits,
  labelsOnly,
  MARGIN_RULE,
  formatDifference,
  marginOf,
  PROBE_CAPTION,
  parseMethodEntry,
  parsePhase,
  parseSeeds,
  probeSplits,
  probeTable,
  RANDOM_INIT,
  RANDOM_INIT_BN,
  RandomInitBaselines,
  type ScoreRow,
  SUPERVISED,
  scoresOf,
  supervisedBaseline,
  testReadSummary,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

exitOnUsageError();

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  {
    steps: '2',
    'batch-size': '16',
    'probe-train': '200',
    'test-limit': '100',
    labeled: '100',
    seeds: '1',
    'supervised-steps': '2',
    minutes: '',
    'cpu-minutes': '',
  },
  args,
);
const ALL =
  'simclr,moco,byol,directpred,simsiam,barlow-twins,vicreg,autoencoder,mae,rotation,context,jigsaw,multi-task,s4l';
const set = parseChoice('--dataset', flag('dataset', flag('set', 'fashion-mnist')), ['mnist', 'fashion-mnist']);
// Budget: a fixed step count (default), or per method a wall-clock budget (--minutes) or a CPU-time
// budget (--cpu-minutes: user + system time of this process, all its threads).
const wallMinutes = flag('minutes', '');
const cpuMinutes = flag('cpu-minutes', '');
if (wallMinutes && cpuMinutes) throw new UsageError('--minutes and --cpu-minutes: give one budget');
const minutes = wallMinutes || cpuMinutes;
const budgetSeconds = minutes ? Number(minutes) * 60 : 0;
if (minutes && !(budgetSeconds > 0))
  throw new UsageError(`--${cpuMinutes ? 'cpu-' : ''}minutes: expected a positive number, got ${minutes}`);
/** Milliseconds on the budget's clock: wall time, or this process's CPU time. */
const clock = () => {
  if (!cpuMinutes) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const fixedSteps = Number(flag('steps', '400'));
const methodArg = flag('methods', 'all');
// `all` stands for every registered method and may be followed by more entries.
const entries = methodArg
  .split(',')
  .flatMap((e) => (e === 'all' ? ALL.split(',') : e ? [e] : []))
  .filter((e) => {
    const known = methods.has(e.split(':')[0]!);
    if (!known) console.error(`skipping ${e}: not a registered method`);
    return known;
  });
const batchSize = Number(flag('batch-size', '128'));
// Methods whose registered batch is smaller than the two-view methods' (the pretext tasks that
// show the encoder every image at 4 rotations register half the batch) keep that ratio, so every
// method's encoder sees about the same number of images per step; --same-batch turns this off.
const sameBatch = args.includes('--same-batch');
const TWO_VIEW_BATCH = 256;
const batchOf = (name: string) =>
  sameBatch
    ? batchSize
    : Math.max(
        1,
        Math.round((batchSize * (methods.get(name).trainerDefaults?.batchSize ?? TWO_VIEW_BATCH)) / TWO_VIEW_BATCH),
      );
const probeTrain = Number(flag('probe-train', '10000'));
const testLimit = Number(flag('test-limit', '10000'));
const labeled = Number(flag('labeled', '600'));
const supervisedSteps = Number(flag('supervised-steps', String(fixedSteps)));
const markdown = flag('markdown', '');
const width = Number(flag('width', '16'));
if (!(Number.isInteger(width) && width > 0)) throw new UsageError(`--width: expected a positive integer, got ${width}`);

const backend = await initBackend();
const { pretrain: train, splits } = await imageSplits(set, probeTrain, testLimit);
const probeSet = splits.train;
const started = new Date();

/** Protocol probes of one embedding (test through report(label)), and collapse diagnostics of its validation embeddings. */
async function probe(embed: (x: tf.Tensor) => tf.Tensor2D, label: string, seed: number) {
  const scores = await probeSplits((d: TensorDataset) => embedDataset(embed, d), splits, phase, label, seed);
  const z = embedDataset(embed, splits.validation);
  const c = collapseDiagnostics(z);
  z.dispose();
  return { scores, collapse: `${c.stdRatio.toFixed(2)} / ${c.effectiveRank.toFixed(1)} of ${c.dim}` };
}

/** Method `name` with `--width` unless the entry gives its own; S4L and SupCon given their labelled set. */
const build = (name: string, options: Record<string, unknown>, seed: number) =>
  buildVisionMethod(name, { width, ...options }, seed, { train, semiSupervised: labeled, reference: probeTrain })
    .method;

interface Row extends ScoreRow {
  /** Validation embeddings (last seed): std ratio / effective rank of the width. */
  collapse: string;
  steps: number[];
  batch?: number;
  seconds: number[];
  /** The re-estimated random-init encoder of the same config (methods only). */
  baseline?: Row;
  /** CPU time of the pretraining (with --cpu-minutes). */
  cpuSeconds: number[];
  msPerStep: number[];
  loss?: string;
}
const rows: Row[] = [];
const semiRows: Row[] = [];
const failed: string[] = [];
const verdicts: string[] = [];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const newRow = (name: string): Row => ({
  name,
  scores: [],
  collapse: '',
  steps: [],
  seconds: [],
  cpuSeconds: [],
  msPerStep: [],
});
const cells = (r: Row) => [
  r.steps.length ? `${Math.round(avg(r.steps))} x ${r.batch}` : '',
  r.seconds.length
    ? `${avg(r.seconds).toFixed(0)} s${r.cpuSeconds.length ? ` (${avg(r.cpuSeconds).toFixed(0)} s CPU)` : ''}`
    : '',
  r.msPerStep.length ? median(r.msPerStep).toFixed(0) : '',
  r.loss ?? '',
  r.collapse,
];
const EXTRA = [
  'steps x batch (mean)',
  'wall time (mean)',
  'ms/step (median)',
  'loss (first -> mean of last 10, last seed)',
  'std ratio / eff. rank (validation)',
];
const budgetText = cpuMinutes
  ? `a CPU-time budget of ${cpuMinutes} CPU-min per method (this process's user + system time; steps set from a timing run)`
  : minutes
    ? `a wall-clock budget of ${minutes} min per method (steps set from a timing run)`
    : `${fixedSteps} optimizer steps per method`;
const table = () => [
  `${set}, ${phase} split: each method pretrained on the ${train.size} training-split images for ${budgetText} at batch ${batchSize}${sameBatch ? '' : ' (methods registered with a smaller batch keep their ratio: rotation, multi-task and s4l, which show every image at 4 rotations, at half)'}, on 2 CPU cores shared with other jobs ` +
    `(wall times are indicative only), seeds ${seeds.join(', ')} (mean ± std), conv-small encoder (width ${width}, ${4 * width}-d; context and jigsaw train it on 7 px patches and embed an image as its 4x4 grid of 7 px tiles, ${64 * width}-d, beside a random-init encoder embedded the same way), backend ${backend.name}; ` +
    `probes fitted on ${probeSet.size} labelled training images, scored on ${testLimit} ${phase} images at most. ${PROBE_CAPTION} ` +
    (supervisedSteps > 0
      ? `Supervised row: the encoder and a linear head trained end to end on the probe's labels for ${supervisedSteps} steps (core's fineTune). `
      : 'No supervised row (--supervised-steps 0). ') +
    `Margin: ${MARGIN_RULE}; each method against the re-estimated random init of its own encoder. ${testReadSummary()}. ` +
    `Run ${started.toISOString().slice(0, 10)}.`,
  '',
  ...probeTable(
    rows.map((r) => ({ ...r, extra: cells(r) })),
    'encoder',
    EXTRA,
  ),
  ...(semiRows.length
    ? [
        '',
        `Semi-supervised (${labeled} labels, ${((100 * labeled) / train.size).toFixed(0)}% of the training split), same encoder, budget and probes:`,
        '',
        ...probeTable(
          semiRows.map((r) => ({ ...r, extra: cells(r) })),
          'encoder',
          EXTRA,
        ),
      ]
    : []),
  ...(verdicts.length ? ['', ...verdicts] : []),
];
const save = () => {
  if (markdown) writeFileSync(markdown, `${table().join('\n')}\n`);
};
const announce = (r: Row) => process.stderr.write(`${set} ${probeTable([{ ...r, extra: cells(r) }]).at(-1)}\n`);

const flat = (x: tf.Tensor) => x.reshape([x.shape[0]!, -1]) as tf.Tensor2D;
const raw = newRow('raw pixels');
for (const seed of seeds) {
  const p = await probe(flat, `raw pixels seed ${seed}`, seed);
  raw.scores.push(p.scores);
  raw.collapse = p.collapse;
}
rows.push(raw);
announce(raw);
// The random-init baselines of each encoder a method embeds with: the conv-small of the two-view
// methods, and the patch-grid over a conv-small that context prediction and jigsaw embed with
// (encoders/patch-grid.ts); each method is held to the re-estimated baseline of its own encoder config.
const baselines = new RandomInitBaselines<Row>(
  train,
  (kind) => ({ asIs: newRow(`${RANDOM_INIT} ${kind}`), reestimated: newRow(`${RANDOM_INIT_BN} ${kind}`) }),
  async (e, { variant, seed, rows, row }) => {
    const p = await probe((x) => e.apply(x, false), `random init ${rows.kind} ${variant} seed ${seed}`, seed);
    row.collapse = p.collapse;
    return p.scores;
  },
);
async function baselineFor(config: EncoderConfig): Promise<Row> {
  const { rows: r, added } = await baselines.of(config, seeds);
  if (added) {
    // Without batch norm the re-estimated row is the as-built one.
    r.reestimated.collapse ||= r.asIs.collapse;
    rows.push(r.asIs, r.reestimated);
    announce(r.asIs);
    announce(r.reestimated);
    save();
  }
  return r.reestimated;
}
const reference = build('simclr', {}, 0);
const referenceConfig = reference.encoder.config;
reference.dispose();
await baselineFor(referenceConfig);
if (supervisedSteps > 0) {
  const sup = newRow(
    `${SUPERVISED} (${referenceConfig.kind}, ${supervisedSteps} steps on the ${probeSet.size} probe labels)`,
  );
  for (const seed of seeds) {
    const fresh = createEncoder(referenceConfig, new Rng(seed + 1000)) as Encoder<tf.Tensor>;
    const accuracy = await supervisedBaseline(fresh, splits, phase, `supervised seed ${seed}`, seed, {
      steps: supervisedSteps,
      batchSize: 64,
    });
    fresh.dispose();
    sup.scores.push({ linear: accuracy, knn20: Number.NaN, knn200: Number.NaN });
  }
  rows.push(sup);
  announce(sup);
  save();
}

/** Pretrains one method with one seed for the budget and probes it into `row`. */
async function run(entry: string, row: Row, seed: number): Promise<void> {
  const { name, options: given } = parseMethodEntry(entry);
  // `lr=` in an entry sets the trainer's learning rate, not a method option.
  const { lr, ...options } = given;
  const spec = methods.get(name);
  const batch = batchOf(name);
  const optimizer =
    typeof lr === 'number' && spec.trainerDefaults.optimizer
      ? { ...spec.trainerDefaults.optimizer, lr }
      : spec.trainerDefaults.optimizer;
  const base = {
    ...spec.trainerDefaults,
    ...(optimizer ? { optimizer } : {}),
    batchSize: batch,
    seed,
    resume: false,
    quiet: true,
  } as const;
  let steps = fixedSteps;
  if (minutes) {
    // Timing run: 12 steps of a throwaway copy; the median of the last 8 sets the step count (the
    // first steps also fill the backend's buffer pool and are slower: with the median of steps 2-4,
    // SimCLR used 214 s of a 300 s CPU budget).
    const probeMethod = build(name, options, seed);
    const times: number[] = [];
    let last = clock();
    const timer = {
      onStepEnd: (_: StepInfo) => {
        const now = clock();
        times.push(now - last);
        last = now;
      },
    };
    await new Trainer(probeMethod, { ...base, steps: 12 }, [timer]).fit(train as TensorDataset);
    probeMethod.dispose();
    steps = Math.max(10, Math.floor((budgetSeconds * 1000) / median(times.slice(4))));
  }
  const method = build(name, options, seed);
  row.baseline = await baselineFor(method.encoder.config);
  const t0 = Date.now();
  const c0 = clock();
  const stepTimes: number[] = [];
  let last = performance.now();
  const watch: { onStepEnd: (i: StepInfo) => void } = {
    onStepEnd: () => {
      const now = performance.now();
      stepTimes.push(now - last);
      last = now;
      // With a time budget, stop at 1.5x the budget if steps slow down mid-run.
      if (minutes && clock() - c0 > 1500 * budgetSeconds) trainer.stop('over budget');
    },
  };
  const trainer = new Trainer(method, { ...base, steps, logEvery: 1000 }, [watch]);
  const result = await trainer.fit(train as TensorDataset);
  row.seconds.push((Date.now() - t0) / 1000);
  if (cpuMinutes) row.cpuSeconds.push((clock() - c0) / 1000);
  const h = result.lossHistory;
  const tail = h.slice(-10);
  const p = await probe((x) => method.embed(x), `${row.name} seed ${seed}`, seed);
  method.dispose();
  row.scores.push(p.scores);
  row.collapse = p.collapse;
  row.steps.push(result.steps);
  row.batch = batch;
  // The first step includes graph set-up; leave it out of the median.
  row.msPerStep.push(median(stepTimes.slice(1)));
  row.loss = `${h[0]!.toFixed(3)} -> ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(3)}`;
}

async function runSeeds(entry: string, name: string): Promise<Row> {
  const row = newRow(name);
  for (const seed of seeds) await run(entry, row, seed);
  return row;
}

for (const entry of entries) {
  const { name } = parseMethodEntry(entry);
  const reference = labelsOnly(name);
  if (reference) {
    // Semi-supervised (S4L): its reference on the same labels alone first, then the method.
    const referenceEntry = [entry, ...Object.entries(reference.options).map(([k, v]) => `${k}=${v}`)].join(':');
    const sup = await runSeeds(
      referenceEntry,
      `supervised on the ${labeled} labels (${entry} without ${reference.without})`,
    );
    semiRows.push(sup);
    announce(sup);
    save();
    const row = await runSeeds(entry, `${entry} (${labeled} labels)`);
    semiRows.push(row);
    announce(row);
    const m = marginOf(scoresOf(row), scoresOf(sup));
    verdicts.push(
      `- ${row.name} vs ${sup.name}: ${formatDifference(m.difference, m.threshold)} vs threshold ${m.threshold.toFixed(3)}: ${m.beats ? 'beats' : 'does not beat'}`,
    );
    save();
    continue;
  }
  const row = await runSeeds(entry, entry);
  rows.push(row);
  announce(row);
  for (const base of [row.baseline!, raw]) {
    const m = marginOf(scoresOf(row), scoresOf(base));
    verdicts.push(
      `- ${entry} vs ${base.name}: ${formatDifference(m.difference, m.threshold)} vs threshold ${m.threshold.toFixed(3)}: ${m.beats ? 'beats' : 'does not beat'}`,
    );
    if (base === row.baseline && !m.beats) failed.push(`${entry} (vs ${base.name})`);
  }
  save();
}

console.log(table().join('\n'));
if (failed.length > 0 && !SMOKE) {
  console.error(
    `${set}: did not beat the re-estimated random-init encoder of its own architecture under the margin rule: ${failed.join(', ')}`,
  );
  process.exit(1);
}
