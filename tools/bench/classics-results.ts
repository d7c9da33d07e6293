/**
 * Results table of @autodidact/classics: Becker-Hinton IMAX (|correlation| of a module's output
 * with the true disparity on held-out stereograms, at init and after training) and CRAR (R^2 of
 * a least-squares probe from the abstract state of every maze cell to its (x, y), at init and
 * after training), over the evaluation protocol's three seeds (docs/protocol.md), as markdown for
 * packages/classics/README.md, with mean ± std. Exits 1 if a trained model does not beat its
 * random init under the margin rule, with the floors below in place of 0.02 (and IMAX's trained
 * |corr| above IMAX_FLOOR). Both train through core's Trainer (Adam, constant rate).
 *
 *   nice -n 10 node --conditions=source --import tsx tools/bench/classics-results.ts \
 *     [--imax-steps 600] [--crar-steps 1500] [--seeds 0,1,2]
 */
import { parseArgs } from 'node:util';
import { initBackend } from '@autodidact/core';
import { trainBeckerHinton, trainCrar } from '@autodidact/classics';
import { formatMeanStd, marginOf } from './protocol/index.js';
import { SMOKE } from './smoke.js';

/** IMAX: trained |corr| must exceed this and exceed the init |corr| by IMAX_MARGIN. */
const IMAX_FLOOR = 0.75;
const IMAX_MARGIN = 0.4;
/** CRAR: trained probe R^2 must exceed the init R^2 by this. */
const CRAR_MARGIN = 0.3;

const { values } = parseArgs({
  options: {
    'imax-steps': { type: 'string', default: '600' },
    'crar-steps': { type: 'string', default: '1500' },
    seeds: { type: 'string', default: '0,1,2' },
    smoke: { type: 'boolean', default: false },
  },
});
// --smoke: a few steps of one seed, only to check the bench works (tools/bench/smoke.ts)
const imaxSteps = SMOKE ? 5 : Number(values['imax-steps']);
const crarSteps = SMOKE ? 5 : Number(values['crar-steps']);
const seeds = SMOKE ? [0] : values.seeds.split(',').map(Number);
const backend = await initBackend();
const f = (x: number) => x.toFixed(3);
let failed = false;
const imax = { before: [] as number[], after: [] as number[] };
const crar = { before: [] as number[], after: [] as number[] };

const imaxRows: string[] = [];
for (const seed of seeds) {
  const r = await trainBeckerHinton({ steps: imaxSteps, seed });
  const ok = r.correlationAfter > IMAX_FLOOR && r.correlationAfter > r.correlationBefore + IMAX_MARGIN;
  imax.before.push(r.correlationBefore);
  imax.after.push(r.correlationAfter);
  imaxRows.push(
    `| ${seed} | ${f(r.correlationBefore)} | ${f(r.correlationAfter)} | ${f(r.correlationAfterB)} | ${f(r.information)} | ${(r.trainMs / 1000).toFixed(1)} |${ok ? '' : ' FAIL'}`,
  );
  console.error(`imax seed ${seed}: |corr| ${f(r.correlationBefore)} -> ${f(r.correlationAfter)}`);
}

const crarRows: string[] = [];
for (const seed of seeds) {
  const r = await trainCrar({ steps: crarSteps, seed });
  const ok = r.r2After > r.r2Before + CRAR_MARGIN;
  crar.before.push(r.r2Before);
  crar.after.push(r.r2After);
  crarRows.push(
    `| ${seed} | ${f(r.r2Before)} | ${f(r.r2After)} | ${f(r.finalLosses.transition)} | ${f(r.finalLosses.reward)} | ${(r.trainMs / 1000).toFixed(1)} |${ok ? '' : ' FAIL'}`,
  );
  console.error(`crar seed ${seed}: probe R^2 ${f(r.r2Before)} -> ${f(r.r2After)}`);
}

const imaxMargin = marginOf(imax.after, imax.before, IMAX_MARGIN);
const crarMargin = marginOf(crar.after, crar.before, CRAR_MARGIN);
failed = !imaxMargin.beats || Math.min(...imax.after) <= IMAX_FLOOR || !crarMargin.beats;
const date = new Date().toISOString().slice(0, 10);
console.log(`Measured ${date}, backend \`${backend.name}\`, seeds ${seeds.join(', ')}:
\`nice -n 10 node --conditions=source --import tsx tools/bench/classics-results.ts --imax-steps ${imaxSteps} --crar-steps ${crarSteps}\`

**Becker-Hinton IMAX** (${imaxSteps} Adam steps, held-out stereograms; pass: |corr| after > ${IMAX_FLOOR} and > init + ${IMAX_MARGIN})

| seed | module A \\|corr\\| at init | module A \\|corr\\| trained | module B \\|corr\\| trained | IMAX (nats, held out) | train s |
|---|---|---|---|---|---|
${imaxRows.join('\n')}

**CRAR** (${crarSteps} Adam steps on random exploration; probe = least squares from the abstract state of each free cell to its (x, y), mean R²; pass: trained > init + ${CRAR_MARGIN})

| seed | probe R² at init | probe R² trained | transition loss | reward loss | train s |
|---|---|---|---|---|---|
${crarRows.join('\n')}

Mean ± std over the seeds: IMAX |corr| ${formatMeanStd(imax.before)} at init, ${formatMeanStd(imax.after)} trained (margin rule with floor ${IMAX_MARGIN}: ${imaxMargin.beats ? 'beats' : 'does not beat'} init); CRAR R² ${formatMeanStd(crar.before)} at init, ${formatMeanStd(crar.after)} trained (floor ${CRAR_MARGIN}: ${crarMargin.beats ? 'beats' : 'does not beat'} init).`);
process.exit(failed && !SMOKE ? 1 : 0);
