/**
 * CLIP on two modality pairs, one command:
 *
 *   node --conditions=source --import tsx packages/multimodal/examples/clip-digits.ts [digits-audio|fashion-text] [steps] [--out dir]
 *
 * Trains image + audio (or image + text) towers with CLIP's symmetric loss (core's Trainer)
 * and prints zero-shot accuracy and retrieval recall on held-out data beside chance and random
 * init. With `--out`, the Trainer's checkpoints go to `<dir>/checkpoints` (an interrupted run
 * given the same command resumes from them exactly), the per-step metrics to
 * `<dir>/metrics.jsonl` and `metrics.csv`, and the training curves to `<dir>/report.html`.
 * Needs `npx autodidact data fetch mnist fashion-mnist spoken-digits`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { env, initBackend, MetricsLog, REPORT_FILE, Rng, renderRunFigures, writeHtmlReport } from '@autodidact/core';
import { type ClipTask, runClipExperiment } from '@autodidact/multimodal';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const task = (positionals[0] ?? 'digits-audio') as ClipTask;
const steps = Number(positionals[1] ?? 300);
const backend = await initBackend();
const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data');
console.log(`CLIP ${task}, ${steps} steps, backend ${backend.name}`);
const metricsLog = values.out ? new MetricsLog({ dir: values.out }) : undefined;
const r = await runClipExperiment(task, {
  dataDir,
  steps,
  onLog: (s, loss) => console.log(`step ${s}  loss ${loss.toFixed(3)}`),
  ...(values.out ? { checkpointDir: join(values.out, 'checkpoints') } : {}),
  ...(metricsLog ? { callbacks: [metricsLog] } : {}),
});
if (r.resumedFromStep !== undefined) console.log(`resumed from step ${r.resumedFromStep}`);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`trained ${r.seconds.toFixed(1)} s, logit scale ${r.scale.toFixed(1)}`);
for (const [name, s] of [
  ['random init', r.random],
  ['trained', r.trained],
] as const) {
  console.log(
    `${name.padEnd(12)} zero-shot image ${pct(s.zeroShotA)}, other ${pct(s.zeroShotB)} (chance ${pct(r.chance)}); ` +
      `image->other R@1 ${pct(s.aToB.recall[1]!)} R@5 ${pct(s.aToB.recall[5]!)}, ` +
      `other->image R@1 ${pct(s.bToA.recall[1]!)} R@5 ${pct(s.bToA.recall[5]!)} (chance ${pct(s.aToB.chance[1]!)} / ${pct(s.aToB.chance[5]!)}, n=${s.aToB.n})`,
  );
}
if (values.out && metricsLog) {
  const path = await writeHtmlReport(join(values.out, REPORT_FILE), {
    title: `multimodal / clip (${task})`,
    config: { task, steps, backend: backend.name },
    summary: {
      steps: r.steps,
      finalLoss: r.finalLoss,
      scale: r.scale,
      zeroShotImage: r.trained.zeroShotA,
      zeroShotOther: r.trained.zeroShotB,
      zeroShotImageRandomInit: r.random.zeroShotA,
      resumedFromStep: r.resumedFromStep,
    },
    rows: metricsLog.rows,
    figures: await renderRunFigures({ rows: metricsLog.rows, rng: new Rng(0) }),
  });
  console.log(`report written to ${path}`);
}
