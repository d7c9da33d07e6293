// Convergence check for the vision methods on real MNIST / Fashion-MNIST under the evaluation
// protocol (docs/protocol.md): for each seed, pretrain each method for a fixed number of steps on
// the training split, then probe its frozen encoder (linear, kNN k=20 and k=200) beside the
// protocol's baselines: raw pixels, the random-init encoder as built and with its batch-norm
// statistics re-estimated, and the same encoder trained supervised on the probe's labels.
// Mean ± std over the seeds. Exits 1 when a method does not beat the re-estimated random-init
// encoder under the margin rule. `--split validation` scores on the validation split (to choose
// settings) and never reads the test split.
// Every registered method runs: a method whose encoder is not the shared rows' (context and jigsaw
// embed an image as a grid of tiles) is held to the random init of its own encoder, whose rows are
// printed beside it; S4L trains on the first --labeled training labels, SupCon (a labelled
// reference) on the probe's (tools/bench/protocol/vision.ts, as bench:vision-results).
//
//   npm run bench:vision -- [--set mnist|fashion-mnist] [--steps N] [--methods simclr,byol,autoencoder]
//                           [--encoder conv-small|mlp] [--width N] [--batch-size N] [--probe-train N]
//                           [--eval-limit N] [--seeds 0,1,2] [--split test|validation]
//                           [--supervised-steps N (0 skips the supervised row)] [--markdown FILE]
//                           [--labeled 600 (S4L's labels)]
//                           [--options '{"dino":{"outDim":2048}}']  (method options by method name)
import { writeFileSync } from 'node:fs';
import { type EncoderConfig, embedDataset, initBackend, Rng, type TensorDataset, Trainer } from '@autodidact/core';
import { createEncoder, methods } from '@autodidact/vision';
import type * as tf from '@tensorflow/tfjs';
import {
  exitOnUsageError,
  parseChoice,
  buildVisionMethod,
  encoderFeatures,
  encoderKind,
  imageSplits,
  labelsOnly,
  MARGIN_RULE,
  marginReport,
  PROBE_CAPTION,
  parsePhase,
  parseSeeds,
  probeSplits,
  probeTable,
  RANDOM_INIT,
  RANDOM_INIT_BN,
  RandomInitBaselines,
  type ScoreRow,
  SUPERVISED,
  supervisedBaseline,
  testReadSummary,
  VISION_SAMPLE_SHAPE,
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
    'eval-limit': '100',
    labeled: '100',
    seeds: '1',
    'supervised-steps': '2',
  },
  args,
);
const set = parseChoice('--set', flag('set', 'mnist'), ['mnist', 'fashion-mnist']);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'simclr,byol,autoencoder').split(',');
const encoder = flag('encoder', 'conv-small');
const width = Number(flag('width', '16'));
const batchSize = Number(flag('batch-size', '256'));
const probeTrain = Number(flag('probe-train', '10000'));
const evalLimit = Number(flag('eval-limit', '10000'));
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const labeled = Number(flag('labeled', '600'));
const supervisedSteps = Number(flag('supervised-steps', String(steps)));
const markdown = flag('markdown', '');
const methodOptions = JSON.parse(flag('options', '{}')) as Record<string, Record<string, unknown>>;

const backend = await initBackend();
const { pretrain, splits } = await imageSplits(set, probeTrain, evalLimit);
const flat = (x: tf.Tensor) => x.reshape([x.shape[0]!, -1]) as tf.Tensor2D;
const pixels = (d: TensorDataset) => embedDataset(flat, d);

const row = (name: string): ScoreRow => ({ name, scores: [] });
const raw = row('raw pixels');
const build = (name: string, options: Record<string, unknown>, seed: number) =>
  buildVisionMethod(name, options, seed, { train: pretrain, semiSupervised: labeled, reference: splits.train.size });
// The shared baseline rows: the encoder of the first method that embeds with a whole-image
// encoder, with its --options (SimCLR's when every method embeds with a grid of tiles). Only the
// config is read, so the method is built without its labelled set.
const sharedConfig = (() => {
  for (const name of [...names, 'simclr']) {
    const m = methods.get(name).create({
      sampleShape: [...VISION_SAMPLE_SHAPE],
      options: { encoder, width, ...methodOptions[name] },
      rng: new Rng(0),
    });
    const config = m.encoder.config;
    m.dispose();
    if (config.kind !== 'patch-grid') return config;
  }
  throw new Error('no method embeds with a whole-image encoder');
})();
// Random-init baselines by encoder config: the shared rows keep their names and test-read
// labels; another encoder's rows are named by its kind (encoderKind), and by its width when only
// the width differs (a method given its own width in --options).
const sharedKind = encoderKind(sharedConfig);
const describe = (kind: string, config: EncoderConfig) =>
  kind === sharedKind && 'width' in config ? `${kind}, width ${config.width}` : kind;
const baselines = new RandomInitBaselines(
  pretrain,
  (kind, config) =>
    config === sharedConfig
      ? { asIs: row(RANDOM_INIT), reestimated: row(RANDOM_INIT_BN) }
      : {
          asIs: row(`${RANDOM_INIT} ${describe(kind, config)}`),
          reestimated: row(`${RANDOM_INIT_BN} ${describe(kind, config)}`),
        },
  (e, { variant, seed, rows }) =>
    probeSplits(
      encoderFeatures(e),
      splits,
      phase,
      `random init ${rows.config === sharedConfig ? '' : `${rows.kind} `}${variant} seed ${seed}`,
      seed,
    ),
);
const supervised = row(`${SUPERVISED} (${supervisedSteps} steps on the ${splits.train.size} probe labels)`);
/** One pretraining run per seed: a method, or a semi-supervised method's labels-only reference. */
interface Run {
  name: string;
  options: Record<string, unknown>;
  /** Test-read label (with the seed). */
  label: string;
  row: ScoreRow;
  seconds: number[];
  /** The encoder config it embeds with (after the first seed). */
  config?: EncoderConfig;
  /** Labels it was given, when it holds a labelled set. */
  labels?: number;
  /** A semi-supervised method's reference on its labels alone (S4L without rotation). */
  reference?: Run;
  /** This run is such a reference: a baseline, not judged. */
  isReference?: boolean;
}
const runs: Run[] = names.flatMap((name) => {
  const options = { encoder, width, ...methodOptions[name] };
  const run: Run = { name, options, label: name, row: row(name), seconds: [] };
  const only = labelsOnly(name);
  if (!only) return [run];
  const reference: Run = {
    name,
    options: { ...options, ...only.options },
    label: `${name} without ${only.without}`,
    row: row(`supervised on the ${labeled} labels (${name} without ${only.without})`),
    seconds: [],
    isReference: true,
  };
  return [reference, { ...run, reference }];
});
for (const seed of seeds) {
  raw.scores.push(await probeSplits(pixels, splits, phase, `raw pixels seed ${seed}`, seed));
  await baselines.of(sharedConfig, [seed]);
  if (supervisedSteps > 0) {
    const fresh = createEncoder(sharedConfig, new Rng(seed + 1000));
    const sup = await supervisedBaseline(fresh, splits, phase, `supervised seed ${seed}`, seed, {
      steps: supervisedSteps,
      batchSize: 64,
    });
    fresh.dispose();
    supervised.scores.push({ linear: sup, knn20: Number.NaN, knn200: Number.NaN });
  }
  for (const run of runs) {
    const spec = methods.get(run.name);
    const { method, labels } = build(run.name, run.options, seed);
    run.labels = labels;
    const t0 = Date.now();
    await new Trainer(method, {
      ...spec.trainerDefaults,
      batchSize,
      steps,
      seed,
      resume: false,
      logEvery: 50,
    }).fit(pretrain);
    run.seconds.push((Date.now() - t0) / 1000);
    run.row.scores.push(
      await probeSplits(encoderFeatures(method.encoder), splits, phase, `${run.label} seed ${seed}`, seed),
    );
    run.config = method.encoder.config;
    method.dispose();
    // The random init of the method's own encoder (the shared rows' when it is the same).
    await baselines.of(run.config, [seed]);
  }
}
for (const run of runs) {
  run.row.extra = [`${(run.seconds.reduce((a, b) => a + b, 0) / run.seconds.length).toFixed(0)} s`];
  if (run.labels !== undefined && !run.isReference) run.row.name = `${run.name} (${run.labels} labels)`;
}
const [shared, ...others] = baselines.all();
const randomAsIs = shared!.asIs;
const randomBn = shared!.reestimated;
// Each method against the re-estimated random init of its own encoder, then raw pixels; a
// semi-supervised method also against its reference on the same labels alone.
const verdicts: string[] = [];
const againstRandom: string[] = [];
for (const run of runs) {
  if (run.isReference) continue;
  const own = baselines.get(run.config!)!;
  verdicts.push(
    ...marginReport([run.row], [own.reestimated, raw, ...(run.reference ? [run.reference.row] : [])]).lines,
  );
  if (marginReport([run.row], [own.reestimated]).failed.length > 0)
    againstRandom.push(own === shared ? run.row.name : `${run.row.name} (vs ${own.reestimated.name})`);
}
const labelled = runs.filter((r) => r.labels !== undefined && !r.isReference);
const encoderText = `${encoder}${'width' in sharedConfig ? ` (width ${sharedConfig.width})` : ''} encoder`;
const ownBaselines = others.length
  ? ` Methods that embed with another encoder (${others.map((b) => b.kind).join('; ')}) are judged against the random init of that encoder, embedded the same way (rows named by it).`
  : '';
const labelledText = labelled.length
  ? ` Labelled methods: ${labelled
      .map(
        (r) =>
          `${r.name} trains on the first ${r.labels} training labels${r.reference ? ` (and is judged against the same run without its self-supervised loss: ${r.reference.row.name})` : ''}`,
      )
      .join(', ')}.`
  : '';
const lines = [
  `${set}, ${phase} split; ${steps} pretraining steps of batch ${batchSize} on ${pretrain.size} training images, ${encoderText}, backend ${backend.name}; probes fitted on ${splits.train.size} labelled training images, scored on ${phase === 'test' ? 'the test' : 'the validation'} split (${evalLimit} images at most); mean ± std over seeds ${seeds.join(', ')}. ${PROBE_CAPTION} Supervised row: linear-head accuracy of the encoder trained end to end (core's fineTune). Margin: ${MARGIN_RULE}.${ownBaselines}${labelledText} ${testReadSummary()}.`,
  '',
  ...probeTable(
    [
      raw,
      randomAsIs,
      randomBn,
      ...(supervisedSteps > 0 ? [supervised] : []),
      ...others.flatMap((b) => [b.asIs, b.reestimated]),
      ...runs.map((r) => r.row),
    ],
    'encoder',
    ['pretraining time (mean)'],
  ),
  '',
  ...verdicts,
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
if (againstRandom.length > 0 && !SMOKE) {
  console.error(`did not beat the re-estimated random-init encoder under the margin rule: ${againstRandom.join(', ')}`);
  process.exit(1);
}
