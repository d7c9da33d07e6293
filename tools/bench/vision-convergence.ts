// Convergence check for the vision methods on real MNIST / Fashion-MNIST under the evaluation
// protocol (docs/protocol.md): for each seed, pretrain each method for a fixed number of steps on
// the training split, then probe its frozen encoder (linear, kNN k=20 and k=200) beside the
// protocol's baselines: raw pixels, the random-init encoder as built and with its batch-norm
// statistics re-estimated, and the same encoder trained supervised on the probe's labels.
// Mean ± std over the seeds. Exits 1 when a method does not beat the re-estimated random-init
// encoder under the margin rule. `--split validation` scores on the validation split (to choose
// settings) and never reads the test split.
//
//   npm run bench:vision -- [--set mnist|fashion-mnist] [--steps N] [--methods simclr,byol,autoencoder]
//                           [--encoder conv-small|mlp] [--width N] [--batch-size N] [--probe-train N]
//                           [--eval-limit N] [--seeds 0,1,2] [--split test|validation]
//                           [--supervised-steps N (0 skips the supervised row)] [--markdown FILE]
//                           [--options '{"dino":{"outDim":2048}}']  (method options by method name)
import { writeFileSync } from 'node:fs';
import { embedDataset, initBackend, Rng, type TensorDataset, Trainer } from '@autodidact/core';
import { createEncoder, methods } from '@autodidact/vision';
import type * as tf from '@tensorflow/tfjs';
import {
  encoderFeatures,
  imageSplits,
  MARGIN_RULE,
  marginReport,
  PROBE_CAPTION,
  parsePhase,
  parseSeeds,
  probeRandomInit,
  probeSplits,
  probeTable,
  RANDOM_INIT,
  RANDOM_INIT_BN,
  type ScoreRow,
  SUPERVISED,
  supervisedBaseline,
  testReadSummary,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags(
  { steps: '2', 'batch-size': '16', 'probe-train': '200', 'eval-limit': '100', seeds: '1', 'supervised-steps': '2' },
  args,
);
const set = flag('set', 'mnist');
if (set !== 'mnist' && set !== 'fashion-mnist') throw new Error(`--set: expected mnist or fashion-mnist, got ${set}`);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'simclr,byol,autoencoder').split(',');
// These need what only bench:vision-results gives them: S4L and SupCon their labelled subset,
// context and jigsaw a random encoder embedded over the same tile grid as their baseline.
const elsewhere = names.filter((n) => ['s4l', 'supcon', 'context', 'jigsaw'].includes(n));
if (elsewhere.length > 0) {
  process.stderr.write(`--methods: ${elsewhere.join(', ')} run in bench:vision-results, not here\n`);
  process.exit(2);
}
const encoder = flag('encoder', 'conv-small');
const width = Number(flag('width', '16'));
const batchSize = Number(flag('batch-size', '256'));
const probeTrain = Number(flag('probe-train', '10000'));
const evalLimit = Number(flag('eval-limit', '10000'));
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const supervisedSteps = Number(flag('supervised-steps', String(steps)));
const markdown = flag('markdown', '');
const methodOptions = JSON.parse(flag('options', '{}')) as Record<string, Record<string, unknown>>;

const backend = await initBackend();
const { pretrain, splits } = await imageSplits(set, probeTrain, evalLimit);
const flat = (x: tf.Tensor) => x.reshape([x.shape[0]!, -1]) as tf.Tensor2D;
const pixels = (d: TensorDataset) => embedDataset(flat, d);

const row = (name: string): ScoreRow => ({ name, scores: [] });
const raw = row('raw pixels');
const randomAsIs = row(RANDOM_INIT);
const randomBn = row(RANDOM_INIT_BN);
const supervised = row(`${SUPERVISED} (${supervisedSteps} steps on the ${splits.train.size} probe labels)`);
const methodRows = names.map(row);
const seconds = names.map(() => [] as number[]);
for (const seed of seeds) {
  raw.scores.push(await probeSplits(pixels, splits, phase, `raw pixels seed ${seed}`, seed));
  const config = methods.get(names[0]!).create({
    sampleShape: [28, 28, 1],
    options: { encoder, width },
    rng: new Rng(seed),
  });
  const encoderConfig = config.encoder.config;
  config.dispose();
  const random = createEncoder(encoderConfig, new Rng(seed + 1000));
  const r = await probeRandomInit(random, pretrain, (e, variant) =>
    probeSplits(encoderFeatures(e), splits, phase, `random init ${variant} seed ${seed}`, seed),
  );
  random.dispose();
  randomAsIs.scores.push(r.asIs);
  randomBn.scores.push(r.reestimated ?? r.asIs);
  if (supervisedSteps > 0) {
    const fresh = createEncoder(encoderConfig, new Rng(seed + 1000));
    const sup = await supervisedBaseline(fresh, splits, phase, `supervised seed ${seed}`, seed, {
      steps: supervisedSteps,
      batchSize: 64,
    });
    fresh.dispose();
    supervised.scores.push({ linear: sup, knn20: Number.NaN, knn200: Number.NaN });
  }
  for (const [i, name] of names.entries()) {
    const spec = methods.get(name);
    const options = { encoder, width, ...methodOptions[name] };
    const method = spec.create({ sampleShape: [28, 28, 1], options, rng: new Rng(seed) });
    const t0 = Date.now();
    await new Trainer(method, {
      ...spec.trainerDefaults,
      batchSize,
      steps,
      seed,
      resume: false,
      logEvery: 50,
    }).fit(pretrain);
    seconds[i]!.push((Date.now() - t0) / 1000);
    methodRows[i]!.scores.push(
      await probeSplits(encoderFeatures(method.encoder), splits, phase, `${name} seed ${seed}`, seed),
    );
    method.dispose();
  }
}
methodRows.forEach((r, i) => {
  r.extra = [`${(seconds[i]!.reduce((a, b) => a + b, 0) / seconds[i]!.length).toFixed(0)} s`];
});
const { lines: verdicts } = marginReport(methodRows, [randomBn, raw]);
const againstRandom = marginReport(methodRows, [randomBn]).failed;
const lines = [
  `${set}, ${phase} split; ${steps} pretraining steps of batch ${batchSize} on ${pretrain.size} training images, ${encoder}${encoder === 'conv-small' ? ` (width ${width})` : ''} encoder, backend ${backend.name}; probes fitted on ${splits.train.size} labelled training images, scored on ${phase === 'test' ? 'the test' : 'the validation'} split (${evalLimit} images at most); mean ± std over seeds ${seeds.join(', ')}. ${PROBE_CAPTION} Supervised row: linear-head accuracy of the encoder trained end to end (core's fineTune). Margin: ${MARGIN_RULE}. ${testReadSummary()}.`,
  '',
  ...probeTable([raw, randomAsIs, randomBn, ...(supervisedSteps > 0 ? [supervised] : []), ...methodRows], 'encoder', [
    'pretraining time (mean)',
  ]),
  '',
  ...verdicts,
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
if (againstRandom.length > 0 && !SMOKE) {
  console.error(`did not beat the re-estimated random-init encoder under the margin rule: ${againstRandom.join(', ')}`);
  process.exit(1);
}
