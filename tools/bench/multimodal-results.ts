/**
 * Results table of @autodidact/multimodal (CLIP): for each pairing and each seed, trains for a
 * fixed budget and scores zero-shot accuracy and retrieval recall@1/@5 on held-out data beside
 * chance and the same model at random init; markdown for packages/multimodal/README.md, mean ±
 * std over the seeds (the evaluation protocol, docs/protocol.md). The held-out data is the test
 * split (default; each seed's run opens it once, through HeldOut.report) or, with `--split
 * validation`, the validation split (MNIST / Fashion-MNIST training images 50,000-59,999, the
 * en-gb-x-rp voice, VALIDATION_TEMPLATES), which never opens a test file: settings such as
 * `--lr` and `--temperature` are chosen there. Exits 1 if a trained model's zero-shot image
 * accuracy does not beat both chance + MARGIN and random init under the margin rule (its floor
 * raised to MARGIN against chance). CLIP trains through core's Trainer (Adam, constant rate),
 * each training image paired once with a seeded draw.
 *
 *   nice -n 19 env OPENBLAS_NUM_THREADS=1 npm run bench:multimodal -- [steps] [--seeds 0,1,2]
 *     [--split test|validation] [--lr 2e-3] [--temperature 0.07]
 */
import { join } from 'node:path';
import { env, initBackend } from '@autodidact/core';
import {
  type ClipEvaluation,
  type ClipRunResult,
  type ClipScores,
  type ClipTask,
  runClipExperiment,
} from '@autodidact/multimodal';
import {
  exitOnUsageError,
  formatMeanStd,
  HeldOut,
  MARGIN_RULE,
  marginOf,
  parsePhase,
  parseSeeds,
  testReadSummary,
  VALIDATION_ACCENT,
} from './protocol/index.js';
import { benchFlags, SMOKE } from './smoke.js';

exitOnUsageError();

/** Zero-shot accuracy must exceed chance (0.1) by this much. */
const MARGIN = 0.3;
/** Default learning rate and initial temperature (runClipExperiment's and ClipOptions' defaults). */
const DEFAULT_LR = 2e-3;
const DEFAULT_TEMPERATURE = 0.07;
const flag = benchFlags({ seeds: '1' });
// --smoke: two steps of one seed, only to check the bench works (tools/bench/smoke.ts)
const valued = new Set(['--seeds', '--split', '--lr', '--temperature']);
const positional = process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && !valued.has(all[i - 1]!));
const steps = SMOKE ? 2 : Number(positional ?? 300);
const seeds = parseSeeds(flag('seeds', '3'));
const phase: ClipEvaluation = parsePhase(flag('split', 'test'));
/** A positive number from `--name`, else a one-line error naming the flag. */
function positive(name: string, def: number): number {
  const text = flag(name, String(def));
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) {
    console.error(`--${name}: expected a positive number, got ${text}`);
    process.exit(2);
  }
  return v;
}
const lr = positive('lr', DEFAULT_LR);
const temperature = positive('temperature', DEFAULT_TEMPERATURE);
const backend = await initBackend();
const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', 'data');
const heldOutWords =
  phase === 'test'
    ? ['held-out accents', 'held-out templates']
    : [`validation voice ${VALIDATION_ACCENT}`, 'validation templates'];
const tasks: [ClipTask, string, string][] = [
  ['digits-audio', `MNIST image ↔ spoken digit (${heldOutWords[0]})`, 'audio'],
  ['fashion-text', `Fashion-MNIST image ↔ description (${heldOutWords[1]})`, 'text'],
];
/** One seed's run of `task`, scored on the `evaluate` side. */
function runOnce(task: ClipTask, seed: number, evaluate: ClipEvaluation): Promise<ClipRunResult> {
  return runClipExperiment(task, {
    dataDir,
    steps,
    seed,
    evaluate,
    learningRate: lr,
    ...(temperature !== DEFAULT_TEMPERATURE ? { clip: { initLogScale: Math.log(1 / temperature) } } : {}),
    onLog: (s, loss) => console.error(`${task} seed ${seed} step ${s} loss ${loss.toFixed(3)}`),
  });
}
/** Each pairing's test split: a run that opens the test files, reachable only through report(). */
const testSplits = new Map(
  tasks.map(([task]) => [task, new HeldOut(task, (seed: number) => runOnce(task, seed, 'test'))]),
);
/** One seed's run, scored on validation, or on test through the protocol's HeldOut (once per label). */
function runSeed(task: ClipTask, seed: number): Promise<ClipRunResult> {
  return phase === 'validation'
    ? runOnce(task, seed, 'validation')
    : testSplits.get(task)!.report(`seed ${seed} (random init and trained)`, (run) => run(seed));
}
const pct = (xs: number[]) => formatMeanStd(xs, 1, 100);
const rows: string[] = [];
let failed = false;
for (const [task, label, other] of tasks) {
  const runs: ClipRunResult[] = [];
  for (const seed of seeds) {
    runs.push(await runSeed(task, seed));
  }
  console.error(
    `${task} ${phase} lr ${lr} temperature ${temperature}: zero-shot image accuracy per seed ${JSON.stringify(runs.map((r) => r.trained.zeroShotA))}`,
  );
  const cells = (pick: (r: ClipRunResult) => ClipScores) => {
    const s = runs.map(pick);
    return [
      pct(s.map((x) => x.zeroShotA)),
      pct(s.map((x) => x.zeroShotB)),
      `${pct(s.map((x) => x.aToB.recall[1]!))} / ${pct(s.map((x) => x.aToB.recall[5]!))}`,
      `${pct(s.map((x) => x.bToA.recall[1]!))} / ${pct(s.map((x) => x.bToA.recall[5]!))}`,
      pct(s.map((x) => x.aToB.classPrecision1)),
    ].join(' | ');
  };
  const seconds = runs.reduce((a, r) => a + r.seconds, 0) / runs.length;
  rows.push(`| ${label} | random init | ${cells((r) => r.random)} |`);
  rows.push(`| ${label} | CLIP ${runs[0]!.steps} steps (${seconds.toFixed(0)} s) | ${cells((r) => r.trained)} |`);
  const r0 = runs[0]!;
  const chance = r0.chance;
  rows.push(
    `| ${label} | chance | ${pct([chance])} | ${pct([chance])} | ${pct([r0.trained.aToB.chance[1]!])} / ${pct([r0.trained.aToB.chance[5]!])} | ${pct([r0.trained.bToA.chance[1]!])} / ${pct([r0.trained.bToA.chance[5]!])} | ${pct([chance])} |`,
  );
  const trained = runs.map((r) => r.trained.zeroShotA);
  const vsChance = marginOf(
    trained,
    runs.map(() => chance),
    MARGIN,
  );
  const vsRandom = marginOf(
    trained,
    runs.map((r) => r.random.zeroShotA),
  );
  if (!vsChance.beats || !vsRandom.beats) {
    failed = true;
    console.error(
      `FAIL ${task}: zero-shot ${pct(trained)}% does not beat chance + ${(100 * MARGIN).toFixed(0)} points and random init under the margin rule`,
    );
  }
  console.error(
    `${task}: other modality = ${other}, final loss ${r0.finalLoss.toFixed(3)}, logit scale ${r0.scale.toFixed(1)} (seed ${seeds[0]})`,
  );
}
const scored =
  phase === 'test'
    ? 'test split: the first 1,000 t10k images, the 2 held-out accents of .splits/test, TEST_TEMPLATES'
    : `validation split: the first 1,000 of training images 50,000-59,999, the ${VALIDATION_ACCENT} clips of .splits/train, VALIDATION_TEMPLATES`;
console.log(
  `${phase === 'test' ? 'Test' : 'Validation'} split. Trained on the first 10,000 training images (of 0-49,999) and .splits/train without the ${VALIDATION_ACCENT} voice; scored on the ${scored}. Backend ${backend.name}; batch 64; Adam lr ${lr} (constant); initial temperature ${temperature}; ${new Date().toISOString().slice(0, 10)}; retrieval gallery n = ${phase === 'test' ? 200 : '120 (spoken digits: the validation voice has 120 clips) / 200 (descriptions)'} held-out pairs; mean ± std over seeds ${seeds.join(', ')}. Margin: ${MARGIN_RULE.replace('linear-probe test accuracy', 'zero-shot image accuracy')}. ${testReadSummary()}.\n`,
);
console.log(
  '| pairs | model | zero-shot image acc % | zero-shot other acc % | image→other R@1 / R@5 % | other→image R@1 / R@5 % | image→other class P@1 % |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
process.exit(failed && !SMOKE ? 1 : 0);
