/**
 * Per-kernel profile of one benchmark's training step on the chosen backend (tf.profile):
 * where the time goes, to choose the next kernel to make native.
 *   node --conditions=source --import tsx tools/bench/speed/profile.ts --bench simclr-mnist [--steps 2] [--backend native] [--kernel Multiply]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@autodidact/core';
import { BENCHES } from './models.js';
import { benchFlags } from '../smoke.js';

// --smoke: one step (tools/bench/smoke.ts).
const arg = benchFlags({ steps: '1' }, process.argv);

const benchName = arg('bench', 'simclr-mnist');
const steps = Number(arg('steps', '2'));
await initBackend({ prefer: arg('backend', 'native') as 'native', quiet: true });
const make = BENCHES[benchName];
if (!make) throw new Error(`unknown bench ${benchName}; known: ${Object.keys(BENCHES).join(', ')}`);
const bench = make();
bench.step(); // warm-up
const detail = arg('kernel', '');
const calls: { ms: number; inputs: string }[] = [];
const byKernel = new Map<string, { ms: number; calls: number; elements: number }>();
let wall = 0;
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  const info = await tf.profile(() => bench.step());
  wall += performance.now() - t0;
  for (const k of info.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0, elements: 0 };
    e.ms += Number(k.kernelTimeMs);
    e.calls += 1;
    e.elements += k.outputShapes.reduce((n, sh) => n + (sh ?? []).reduce((a, b) => a * b, 1), 0);
    byKernel.set(k.name, e);
    if (k.name === detail) calls.push({ ms: Number(k.kernelTimeMs), inputs: JSON.stringify(k.inputShapes) });
  }
}
const total = [...byKernel.values()].reduce((n, e) => n + e.ms, 0);
console.log(
  `${benchName} on ${tf.getBackend()}: ${(wall / steps).toFixed(0)} ms/step wall (profiled), kernels ${(total / steps).toFixed(0)} ms/step`,
);
console.log('kernel | ms/step | share | calls/step | ns/output element');
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(
    `${name} | ${(e.ms / steps).toFixed(1)} | ${((100 * e.ms) / total).toFixed(1)}% | ${e.calls / steps} | ${((e.ms * 1e6) / Math.max(1, e.elements)).toFixed(2)}`,
  );
}
if (detail) {
  console.log(`slowest ${detail} calls (ms, input shapes):`);
  for (const c of calls.sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`${c.ms.toFixed(1)} ${c.inputs}`);
}
bench.dispose();
