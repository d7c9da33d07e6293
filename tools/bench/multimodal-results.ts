/**
 * Results table of @autodidact/multimodal (CLIP): for each pairing, trains for a fixed budget
 * and prints zero-shot accuracy and retrieval recall@1/@5 on held-out data beside chance and
 * the same model at random init, as a markdown table for packages/multimodal/README.md.
 * Exits 1 if a trained model's zero-shot image accuracy does not beat chance by MARGIN and
 * random init.
 *
 *   nice -n 10 node --conditions=source --import tsx tools/bench/multimodal-results.ts [steps]
 */
import { join } from 'node:path';
import { env, initBackend } from '@autodidact/core';
import { type ClipRunResult, type ClipTask, runClipExperiment } from '@autodidact/multimodal';
import { SMOKE } from './smoke.js';

/** Zero-shot accuracy must exceed chance (0.1) by this much. */
const MARGIN = 0.3;
// --smoke: two steps, only to check the bench works (tools/bench/smoke.ts)
const steps = SMOKE ? 2 : Number(process.argv[2] ?? 300);
const backend = await initBackend();
const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', 'data');
const tasks: [ClipTask, string, string][] = [
  ['digits-audio', 'MNIST image ↔ spoken digit (held-out accents)', 'audio'],
  ['fashion-text', 'Fashion-MNIST image ↔ description (held-out templates)', 'text'],
];
const pct = (x: number) => (100 * x).toFixed(1);
const rows: string[] = [];
let failed = false;
for (const [task, label, other] of tasks) {
  const r: ClipRunResult = await runClipExperiment(task, {
    dataDir,
    steps,
    onLog: (s, loss) => console.error(`${task} step ${s} loss ${loss.toFixed(3)}`),
  });
  for (const [name, s] of [
    ['random init', r.random],
    [`CLIP ${r.steps} steps (${r.seconds.toFixed(0)} s)`, r.trained],
  ] as const) {
    rows.push(
      `| ${label} | ${name} | ${pct(s.zeroShotA)} | ${pct(s.zeroShotB)} | ${pct(s.aToB.recall[1]!)} / ${pct(s.aToB.recall[5]!)} | ${pct(s.bToA.recall[1]!)} / ${pct(s.bToA.recall[5]!)} | ${pct(s.aToB.classPrecision1)} |`,
    );
  }
  rows.push(
    `| ${label} | chance | ${pct(r.chance)} | ${pct(r.chance)} | ${pct(r.trained.aToB.chance[1]!)} / ${pct(r.trained.aToB.chance[5]!)} | ${pct(r.trained.bToA.chance[1]!)} / ${pct(r.trained.bToA.chance[5]!)} | ${pct(r.chance)} |`,
  );
  const ok = r.trained.zeroShotA > r.chance + MARGIN && r.trained.zeroShotA > r.random.zeroShotA;
  if (!ok) {
    failed = true;
    console.error(
      `FAIL ${task}: zero-shot ${pct(r.trained.zeroShotA)}% does not beat chance + ${pct(MARGIN)} and random init`,
    );
  }
  console.error(
    `${task}: other modality = ${other}, final loss ${r.finalLoss.toFixed(3)}, logit scale ${r.scale.toFixed(1)}`,
  );
}
console.log(
  `Backend ${backend.name}; batch 64; ${new Date().toISOString().slice(0, 10)}; retrieval gallery n = 200 held-out pairs.\n`,
);
console.log(
  '| pairs | model | zero-shot image acc % | zero-shot other acc % | image→other R@1 / R@5 % | other→image R@1 / R@5 % | image→other class P@1 % |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
process.exit(failed && !SMOKE ? 1 : 0);
