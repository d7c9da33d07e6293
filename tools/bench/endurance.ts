/**
 * Endurance: a long pretraining run of one modality's method on its default data set, checking
 * that `tf.memory().numTensors` stays flat and resident memory stays bounded. Exits 1 when the
 * tensor count grows after warm-up or RSS grows by more than --rss-slack MB past the 10% mark.
 *
 *   node --conditions=source --import tsx tools/bench/endurance.ts --modality vision [--method simclr]
 *        [--steps 10000] [--batch-size 32] [--every 500] [--limit 4096] [--option key=value ...]
 */
import { type Dataset, initBackend, loadModality, Rng, type StepInfo, Trainer } from '@autodidact/core';
import { poolStats } from '@autodidact/backend-native';
import * as tf from '@tensorflow/tfjs';
import { benchFlags } from './smoke.js';

// --smoke: a tiny run that only checks the bench works (tools/bench/smoke.ts); the tensor and RSS
// checks stay on.
const arg = benchFlags({ steps: '20', limit: '256', 'batch-size': '8', every: '5' }, process.argv);
function options(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  process.argv.forEach((a, i) => {
    if (a !== '--option') return;
    const [k, v] = (process.argv[i + 1] ?? '').split('=');
    if (!k || v === undefined) return;
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  });
  return out;
}

const modalityName = arg('modality', 'vision');
const steps = Number(arg('steps', '10000'));
const every = Number(arg('every', String(Math.max(1, Math.floor(steps / 20)))));
const batchSize = Number(arg('batch-size', '32'));
const limit = Number(arg('limit', '4096'));
const rssSlackMb = Number(arg('rss-slack', '300'));

const backend = await initBackend({ quiet: true });
const modality = await loadModality(modalityName);
const methodName = arg('method', modality.methods.names()[0] as string);
const spec = modality.methods.get(methodName);
const dataPath = process.argv.includes('--data') ? arg('data', '') : (await modality.defaultData!()).train;
const dataset = (await modality.loadUnlabeled(dataPath, { limit })) as Dataset<unknown>;
const method = spec.create({
  sampleShape: [...(dataset.sampleShape ?? [])],
  options: { ...spec.defaults, ...options() },
  rng: new Rng(0),
});

interface Sample {
  step: number;
  tensors: number;
  rssMb: number;
  heapMb: number;
  loss: number;
}
const samples: Sample[] = [];
const t0 = performance.now();
const trainer = new Trainer(
  method,
  {
    ...spec.trainerDefaults,
    batchSize,
    steps,
    quiet: true,
  } as never,
  [
    {
      onStepEnd(info: StepInfo) {
        if (info.step % every !== 0 && info.step !== 1) return;
        const m = process.memoryUsage();
        const s = {
          step: info.step,
          tensors: tf.memory().numTensors,
          rssMb: m.rss / 2 ** 20,
          heapMb: m.heapUsed / 2 ** 20,
          loss: info.loss,
        };
        samples.push(s);
        const pool = poolStats(); // the native backend's recycled buffers (undefined on other backends)
        const pooled = pool
          ? `, pooled ${(pool.pooledBytes / 2 ** 20).toFixed(0)} MB in ${pool.pooledSizes} sizes`
          : '';
        process.stderr.write(
          `step ${s.step}: tensors ${s.tensors}, rss ${s.rssMb.toFixed(0)} MB, heap ${s.heapMb.toFixed(0)} MB${pooled}, loss ${s.loss.toFixed(4)}\n`,
        );
      },
    },
  ],
);
await trainer.fit(dataset as never);
const seconds = (performance.now() - t0) / 1000;
const warm = samples.find((s) => s.step >= steps / 10) ?? samples[0]!;
const last = samples[samples.length - 1]!;
const tensorGrowth = last.tensors - warm.tensors;
const rssGrowth = last.rssMb - warm.rssMb;
const ok = tensorGrowth <= 0 && rssGrowth <= rssSlackMb;
const summary = {
  modality: modalityName,
  method: methodName,
  backend: backend.name,
  steps,
  batch_size: batchSize,
  seconds: Number(seconds.toFixed(0)),
  tensors_at_10pct: warm.tensors,
  tensors_at_end: last.tensors,
  rss_mb_at_10pct: Math.round(warm.rssMb),
  rss_mb_at_end: Math.round(last.rssMb),
  rss_mb_max: Math.round(Math.max(...samples.map((s) => s.rssMb))),
  ok,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
method.dispose();
process.exit(ok ? 0 : 1);
