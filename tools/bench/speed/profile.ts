/**
 * Where the time of one training step goes, per tfjs kernel (tf.profile), on the chosen backend:
 * a library step (library-steps.ts: the Trainer running a method at its CLI defaults) or one of
 * the kernel table's hand-written graphs (kernel-graphs.ts). Kernel times nest (an op-level entry
 * such as `fusedConv2d__op` includes its kernel), so the sum can exceed the wall time; the wall
 * time minus the top-level kernels is the time spent around the kernels (JavaScript bookkeeping,
 * readouts, augmentations' typed-array work).
 *
 *   npm run bench:profile -- --bench simclr [--steps 3] [--tiny] [--batch 256] [--kernel FusedBatchNorm] [--backend native]
 *   npm run bench:profile -- --graph simclr-mnist     # a kernel-table graph instead
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, Trainer, type TrainerOptions } from '@autodidact/core';
import { BENCHES } from './kernel-graphs.js';
import { batchSizeOf, buildMethod, libraryStep, syntheticData } from './library-steps.js';
import { benchFlags, SMOKE } from '../smoke.js';

// --smoke (tools/bench/smoke.ts): one step at --tiny batches.
const arg = benchFlags({ steps: '1' }, process.argv);
const tiny = SMOKE || process.argv.includes('--tiny');

const steps = Number(arg('steps', '3'));
await initBackend({ prefer: arg('backend', 'native') as 'native', quiet: true });
const graph = arg('graph', '');
let label: string;
/** Runs `warmup` unprofiled-for-the-table steps then `n` steps; `onWindow` brackets the n steps. */
let run: (warmup: number, n: number, onWindow: (edge: 'start' | 'end') => void) => Promise<void>;
if (graph) {
  const make = BENCHES[graph];
  if (!make) throw new Error(`unknown graph ${graph}; known: ${Object.keys(BENCHES).join(', ')}`);
  const bench = make();
  label = `kernel graph ${graph}`;
  run = async (warmup, n, onWindow) => {
    for (let i = 0; i < warmup; i++) bench.step();
    onWindow('start');
    for (let i = 0; i < n; i++) bench.step();
    onWindow('end');
  };
} else {
  const step = libraryStep(arg('bench', 'simclr'));
  const { method, trainerDefaults } = await buildMethod(step);
  const batchSize = Number(arg('batch', String(batchSizeOf(step, trainerDefaults, tiny))));
  const data = await syntheticData(step, batchSize * 2);
  label = `library step ${step.name} (batch ${batchSize})`;
  // One fit, as a run trains: the optimizer's slots are made in the warm-up steps and the
  // end-of-run state check falls after the window, so the table holds steps only.
  run = async (warmup, n, onWindow) => {
    let done = 0;
    await new Trainer(
      method,
      {
        ...(trainerDefaults as Partial<TrainerOptions>),
        batchSize,
        steps: warmup + n,
        // 'auto' would embed a batch for the collapse diagnostics after every step of so short a
        // run; a long run (and the speed bench's) does so every 100 steps.
        diagnosticsEvery: 0,
        quiet: true,
      },
      [
        {
          onStepEnd: () => {
            done++;
            if (done === warmup) onWindow('start');
            if (done === warmup + n) onWindow('end');
          },
        },
      ],
    ).fit(data);
  };
}
// Kernels the running profile has recorded so far.
const engineState = (tf.engine() as unknown as { state: { activeProfile?: { kernels: unknown[] } } }).state;
const window = { from: 0, to: 0, t0: 0, t1: 0 };
const info = await tf.profile(async () => {
  // 2 warm-up steps: first-touch memory, kernel setup, optimizer slots
  await run(2, steps, (edge) => {
    if (edge === 'start') {
      window.from = engineState.activeProfile?.kernels.length ?? 0;
      window.t0 = performance.now();
    } else {
      window.to = engineState.activeProfile?.kernels.length ?? 0;
      window.t1 = performance.now();
    }
  });
  return [] as tf.Tensor[];
});
const kernels = info.kernels.slice(window.from, window.to);
const wall = (window.t1 - window.t0) / steps;

const detail = arg('kernel', '');
const calls: { ms: number; inputs: string }[] = [];
const byKernel = new Map<string, { ms: number; calls: number; elements: number }>();
for (const k of kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, calls: 0, elements: 0 };
  e.ms += Number(k.kernelTimeMs);
  e.calls += 1;
  e.elements += k.outputShapes.reduce((n, sh) => n + (sh ?? []).reduce((a, b) => a * b, 1), 0);
  byKernel.set(k.name, e);
  if (k.name === detail) calls.push({ ms: Number(k.kernelTimeMs), inputs: JSON.stringify(k.inputShapes) });
}
// Op-level wrappers whose time is also counted in the kernels they call (tfjs names a custom-gradient
// op, as core's batch norm and fused conv2d, by its scope: 'unnamed scope').
const nested = (name: string) => name.endsWith('__op') || name === 'unnamed scope';
const top = [...byKernel].filter(([n]) => !nested(n)).reduce((s, [, e]) => s + e.ms, 0) / steps;
console.log(
  `${label} on ${tf.getBackend()}, ${process.env.OPENBLAS_NUM_THREADS ?? 'default'} BLAS thread(s): ` +
    `${wall.toFixed(0)} ms/step wall (profiled), kernels ${top.toFixed(0)} ms, around them ${(wall - top).toFixed(0)} ms, ` +
    `${(kernels.length / steps).toFixed(0)} kernel calls/step`,
);
console.log('kernel | ms/step | share of wall | calls/step | ns/output element');
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(arg('top', '30')))) {
  console.log(
    `${name} | ${(e.ms / steps).toFixed(1)} | ${((100 * e.ms) / steps / wall).toFixed(1)}% | ${(e.calls / steps).toFixed(0)} | ${((e.ms * 1e6) / Math.max(1, e.elements)).toFixed(2)}`,
  );
}
if (detail) {
  console.log(`slowest ${detail} calls (ms, input shapes):`);
  for (const c of calls.sort((a, b) => b.ms - a.ms).slice(0, 12)) console.log(`${c.ms.toFixed(1)} ${c.inputs}`);
}
