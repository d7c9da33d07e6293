// Convergence check for the audio methods on the espeak-ng spoken digits under the evaluation
// protocol (docs/protocol.md): for each seed, pretrain each method for a fixed number of steps on
// the unlabelled clips of the training split (5 accents), then probe its frozen encoder (linear,
// kNN k=20 and k=200) fitted on those clips and scored on voices it never heard: the validation
// accent (`--split validation`) or the 2 held-out test accents. Beside it the protocol's
// baselines: log-mel features (per-band mean and std over time), the random-init encoder of the
// same architecture (audio encoders have no batch norm, so "as built" is the only random init),
// and the same encoder trained supervised on the probe's labels. Mean ± std over the seeds.
// Exits 1 when a method does not beat its random-init encoder under the margin rule.
//
//   node --conditions=source --import tsx tools/bench/audio-convergence.ts \
//     [--steps N] [--methods wav2vec2,wav2vec,cpc[:key=value...]] [--batch-size N] [--width N] [--seeds 0,1,2]
//     [--split test|validation] [--supervised-steps N (0: no supervised row)] [--markdown FILE]
// Needs: npx autodidact data fetch spoken-digits
import { writeFileSync } from 'node:fs';
import { createEncoder, LogMel, logMelStats, methods, type WavDataset } from '@autodidact/audio';
import { type Encoder, embedDataset, initBackend, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import {
  exitOnUsageError,
  encoderFeatures,
  MARGIN_RULE,
  marginReport,
  PROBE_CAPTION,
  parseMethodEntry,
  parsePhase,
  parseSeeds,
  probeSplits,
  probeTable,
  RANDOM_INIT,
  type ScoreRow,
  SUPERVISED,
  spokenDigitSplits,
  supervisedBaseline,
  testReadSummary,
  VALIDATION_ACCENT,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

exitOnUsageError();

const args = process.argv.slice(2);
// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts)
const flag = benchFlags({ steps: '2', 'batch-size': '4', width: '16', seeds: '1', 'supervised-steps': '2' }, args);
const steps = Number(flag('steps', '300'));
const names = flag('methods', 'wav2vec2,wav2vec,cpc').split(',');
const batchSize = Number(flag('batch-size', '16'));
const width = Number(flag('width', '64'));
const seeds = parseSeeds(flag('seeds', '3'));
const phase = parsePhase(flag('split', 'test'));
const supervisedSteps = Number(flag('supervised-steps', String(steps)));
const markdown = flag('markdown', '');

const backend = await initBackend();
const splits = await spokenDigitSplits();
const train = splits.train;

const logMel = new LogMel();
const logMelRow: ScoreRow = { name: 'log-mel (40 bands, mean + std over time)', scores: [] };
const logMelFeatures = (d: WavDataset) =>
  embedDataset((x: tf.Tensor) => tf.tidy(() => logMelStats(logMel.apply(x as tf.Tensor2D))), d, 32);
const rows: ScoreRow[] = [logMelRow];
const methodRows: ScoreRow[] = [];
const randomRows: ScoreRow[] = [];
for (const seed of seeds)
  logMelRow.scores.push(await probeSplits(logMelFeatures, splits, phase, `log-mel seed ${seed}`, seed));
for (const entry of names) {
  // `name:key=value:...` trains the method with those options (one row per entry)
  const { name: methodName, options } = parseMethodEntry(entry);
  const name = entry;
  const spec = methods.get(methodName);
  const random: ScoreRow = { name: `${RANDOM_INIT} ${name} encoder`, scores: [] };
  const supervised: ScoreRow = { name: `${SUPERVISED} (${name} encoder, ${supervisedSteps} steps)`, scores: [] };
  const row: ScoreRow = { name, scores: [] };
  const seconds: number[] = [];
  let loss = '';
  for (const seed of seeds) {
    const method = spec.create({
      sampleShape: [16000],
      options: { width, contextDim: width, ...options },
      rng: new Rng(seed),
    });
    const config = method.encoder.config;
    const r = createEncoder(config, new Rng(seed + 1000)) as Encoder<tf.Tensor>;
    random.scores.push(
      await probeSplits(encoderFeatures(r, 32), splits, phase, `random init ${name} seed ${seed}`, seed),
    );
    r.dispose();
    if (supervisedSteps > 0) {
      const fresh = createEncoder(config, new Rng(seed + 1000)) as Encoder<tf.Tensor>;
      const sup = await supervisedBaseline(fresh, splits, phase, `supervised ${name} seed ${seed}`, seed, {
        steps: supervisedSteps,
        batchSize,
      });
      fresh.dispose();
      supervised.scores.push({ linear: sup, knn20: Number.NaN, knn200: Number.NaN });
    }
    const t0 = Date.now();
    const result = await new Trainer(method, {
      ...spec.trainerDefaults,
      batchSize,
      steps,
      seed,
      resume: false,
      logEvery: 25,
      diagnosticsEvery: 0,
    }).fit(train);
    seconds.push((Date.now() - t0) / 1000);
    const h = result.lossHistory;
    loss = `${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)}`;
    row.scores.push(
      await probeSplits(encoderFeatures(method.encoder, 32), splits, phase, `${name} seed ${seed}`, seed),
    );
    method.dispose();
  }
  row.extra = [`${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(0)} s`, loss];
  rows.push(random, ...(supervisedSteps > 0 ? [supervised] : []), row);
  randomRows.push(random);
  methodRows.push(row);
  console.error(
    probeTable([random, ...(supervisedSteps > 0 ? [supervised] : []), row])
      .slice(2)
      .join('\n'),
  );
}

const verdicts: string[] = [];
const failed: string[] = [];
for (const [i, row] of methodRows.entries()) {
  const own = marginReport([row], [randomRows[i]!]);
  verdicts.push(...own.lines, ...marginReport([row], [logMelRow]).lines);
  failed.push(...own.failed);
}
const lines = [
  `Spoken digits (espeak-ng), ${phase} split: pretraining on the ${train.size} unlabelled 1 s clips of the training split (5 accents; ${VALIDATION_ACCENT} is the validation voice), ${steps} steps of batch ${batchSize}, encoder width ${width}, backend ${backend.name}, seeds ${seeds.join(', ')} (mean ± std). Probes fitted on those ${train.size} labelled clips, scored on ${phase === 'test' ? 'the 2 held-out test accents' : `the ${VALIDATION_ACCENT} clips`} (voices unseen in pretraining). ${PROBE_CAPTION} Supervised rows: the encoder and a linear head trained end to end on the same labels (core's fineTune). Margin: ${MARGIN_RULE}. ${testReadSummary()}. ${new Date().toISOString().slice(0, 10)}.`,
  '',
  ...probeTable(rows, 'features', ['pretraining time (mean)', 'loss (first -> last step, last seed)']),
  '',
  ...verdicts,
];
console.log(lines.join('\n'));
if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
logMel.dispose();
splits.train.dispose();
splits.validation.dispose();
if (failed.length > 0 && !SMOKE) {
  console.error(`did not beat its random-init encoder under the margin rule: ${failed.join(', ')}`);
  process.exit(1);
}
