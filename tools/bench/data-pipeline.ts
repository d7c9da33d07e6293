/**
 * Data-pipeline benchmark (issue 18): batches per second of the streaming pipeline alone (data
 * workers reading records from disk, batches prepared ahead, tensors made on the training
 * thread) against the rate a training step consumes them, and the streaming step's time against
 * the in-memory step's, in the same run. Core's reference reader (float32 record files) for now;
 * modality readers add rows later.
 *
 *   npm run bench:data
 *   npm run bench:data -- --samples 4096 --shape 28,28,1 --batch-size 256 --steps 8 --rounds 3 --workers 1,2 --prefetch 2
 *   options: --method simclr (a vision method; the step to compare with) --markdown FILE; --smoke: every
 *     section at a tiny size (CI runs the documented command so), numbers meaningless
 *   image-folder and long-WAV sections (data-pipeline-vision-audio.ts): --sections images,image-memory,wavs
 *     --images 1024 --image-size 64 --image-batches 48 --flat-images 1000 --wav-files 4 --wav-minutes 3;
 *     --no-vision-audio skips them
 *   text and DNA rows (data-pipeline-text-genomics.ts): --text-genomics text,genomics|none
 *     --text-mib 2 --genomes 1 --rss-steps 10 --tg-steps 6
 *
 * The step times are medians over `rounds` alternating in-memory and streaming runs of `steps`
 * timed steps each (after two warm-up steps per run), so load from other processes hits both.
 *
 * Every measurement uses the library's own code paths (`openDataset`, `ReaderDataset`,
 * `Trainer.fit`); thread counts are printed: the training thread's backend (OpenBLAS threads),
 * and the data worker threads of each row.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataOrder,
  env,
  indexFloat32Files,
  initBackend,
  isStreaming,
  loadStreamedBatch,
  openDataset,
  Rng,
  type StreamingDataset,
  type TensorDataset,
  Trainer,
} from '@autodidact/core';
import { modality as vision } from '@autodidact/vision';
import { visionAudioRows } from './data-pipeline-vision-audio.js';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { textGenomicsSection } from './data-pipeline-text-genomics.js';
import { benchFlags } from './smoke.js';

// `--smoke` (CI's documented-commands run): every section on a tiny scale; its numbers mean nothing.
const arg = benchFlags({
  samples: '512',
  'batch-size': '32',
  steps: '2',
  rounds: '1',
  workers: '1',
  images: '48',
  'image-batches': '4',
  'image-sides': '64-96',
  'flat-images': '40',
  'flat-steps': '2',
  'flat-batch-size': '16',
  'wav-files': '1',
  'wav-minutes': '0.25',
  'text-mib': '0.25',
  genomes: '1',
  'rss-steps': '2',
  'tg-steps': '2',
});
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const samples = Number(arg('samples', '4096'));
const shape = arg('shape', '28,28,1').split(',').map(Number);
const batchSize = Number(arg('batch-size', '256'));
const steps = Number(arg('steps', '8'));
const rounds = Number(arg('rounds', '3'));
const workerCounts = arg('workers', '1,2').split(',').map(Number);
const prefetch = Number(arg('prefetch', '2'));
const methodName = arg('method', 'simclr');
const markdown = process.argv.includes('--markdown') ? arg('markdown', '') : undefined;
const pipelineSteps = Math.max(4 * steps, 32);

const backend = await initBackend({ quiet: true });
const dir = await mkdtemp(join(tmpdir(), 'autodidact-bench-data-'));
env.cacheDir = join(dir, 'cache');
try {
  // Records: uniform noise in [0, 1) (a step's time does not depend on the values), 16 files.
  const len = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(0);
  const files = 16;
  for (let f = 0; f < files; f++) {
    const n = Math.ceil(samples / files) - (f < files - 1 ? 0 : Math.ceil(samples / files) * files - samples);
    const a = Float32Array.from({ length: n * len }, () => rng.next());
    await writeFile(join(dir, `part-${String(f).padStart(2, '0')}.f32`), new Uint8Array(a.buffer));
  }
  const { spec, size } = await indexFloat32Files(dir, shape);
  const order = new DataOrder(size, batchSize, 0);

  const rows: string[][] = [];
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(
    `${size} samples of [${shape.join('x')}] float32 (${((size * len * 4) / 2 ** 20).toFixed(0)} MiB), batch ${batchSize}, ` +
      `backend ${backend.name} (${backend.description}), ${cpus().length} CPUs`,
  );

  // 1. The pipeline alone: batches/s a consumer that does nothing else would get.
  const pipelineRate = async (ds: StreamingDataset<tf.Tensor>) => {
    // Warm-up: the first batches pay for opening files.
    for (let s = 0; s < 2; s++) tf.dispose(await loadStreamedBatch(ds, order, 0, s % order.stepsPerEpoch, 2));
    const t0 = performance.now();
    for (let s = 0; s < pipelineSteps; s++) {
      const epoch = Math.floor(s / order.stepsPerEpoch);
      const t = await loadStreamedBatch(ds, order, epoch, s % order.stepsPerEpoch, pipelineSteps - s);
      t.dispose();
    }
    return (1000 * pipelineSteps) / (performance.now() - t0);
  };
  const rates = new Map<number, number>();
  for (const workers of workerCounts) {
    const ds = await openDataset({ reader: spec, mode: 'stream', workers, prefetch });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    rates.set(workers, await pipelineRate(ds as StreamingDataset<tf.Tensor>));
    await ds.close();
  }
  const memory = (await openDataset({
    reader: spec,
    mode: 'memory',
    workers: Math.max(...workerCounts),
  })) as TensorDataset;
  const t0 = performance.now();
  for (let s = 0; s < pipelineSteps; s++) {
    tf.dispose(memory.getBatch(order.batchIndices(Math.floor(s / order.stepsPerEpoch), s % order.stepsPerEpoch)));
  }
  const memoryRate = (1000 * pipelineSteps) / (performance.now() - t0);

  // 2. Training steps of a real method on each source, after two warm-up steps: wall ms per step,
  // and CPU ms per step of the whole process (training thread and data workers together), which
  // other processes' load on a shared machine does not inflate.
  const spec0 = vision.methods.get(methodName);
  const stepMs = async (data: TensorDataset | StreamingDataset<tf.Tensor>) => {
    const method = spec0.create({ sampleShape: shape, options: { ...spec0.defaults }, rng: new Rng(1) });
    const stamps: { wall: number; cpu: number }[] = [];
    const now = () => {
      const u = process.cpuUsage();
      return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
    };
    const trainer = new Trainer(
      method,
      { ...spec0.trainerDefaults, batchSize, steps: steps + 2, seed: 0, quiet: true, diagnosticsEvery: 0 },
      [{ onStepEnd: () => void stamps.push(now()) }],
    );
    await trainer.fit(data);
    trainer.optimizer?.dispose();
    method.dispose();
    const timed = stamps.slice(1); // differences from the end of the second (warm-up) step on
    return {
      wall: timed.slice(1).map((t, k) => t.wall - timed[k]!.wall),
      cpu: timed.slice(1).map((t, k) => t.cpu - timed[k]!.cpu),
    };
  };
  const streamWorkers = Math.max(...workerCounts);
  const streamDs = (await openDataset({
    reader: spec,
    mode: 'stream',
    workers: streamWorkers,
    prefetch,
  })) as StreamingDataset<tf.Tensor>;
  const mem = { wall: [] as number[], cpu: [] as number[] };
  const str = { wall: [] as number[], cpu: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const [acc, data] of [
      [mem, memory],
      [str, streamDs],
    ] as const) {
      const t = await stepMs(data);
      acc.wall.push(...t.wall);
      acc.cpu.push(...t.cpu);
    }
  }
  const memStep = median(mem.wall);
  const streamStep = median(str.wall);
  const memCpu = median(mem.cpu);
  const streamCpu = median(str.cpu);
  const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;
  await streamDs.close();
  memory.dispose();

  const consumeRate = 1000 / streamStep;
  for (const [workers, rate] of rates) {
    rows.push([
      'float32 records (core reader)',
      `stream, ${workers} worker${workers > 1 ? 's' : ''}, prefetch ${prefetch}`,
      rate.toFixed(1),
      `${(rate / consumeRate).toFixed(1)}x`,
    ]);
  }
  rows.push([
    'float32 records (core reader)',
    'in memory (gather)',
    memoryRate.toFixed(1),
    `${(memoryRate / (1000 / memStep)).toFixed(1)}x`,
  ]);
  const lines = [
    `Data pipeline: ${size} samples of [${shape.join('x')}], batch ${batchSize}; training step: vision ${methodName} ` +
      `on ${backend.name} (${backend.description}); ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}.`,
    '',
    "| reader | source | batches/s (pipeline alone) | vs the step's consumption |",
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `| training step (${methodName}, batch ${batchSize}), median of ${rounds} x ${steps} | wall ms per step | CPU ms per step (all threads) |`,
    '|---|---|---|',
    `| in memory | ${memStep.toFixed(0)} | ${memCpu.toFixed(0)} |`,
    `| streamed (${streamWorkers} worker${streamWorkers > 1 ? 's' : ''}, prefetch ${prefetch}) | ${streamStep.toFixed(0)} (${pct(streamStep, memStep)}) | ${streamCpu.toFixed(0)} (${pct(streamCpu, memCpu)}) |`,
  ];
  // The image-folder and long-WAV readers' rows (tools/bench/data-pipeline-vision-audio.ts).
  if (!process.argv.includes('--no-vision-audio'))
    lines.push(...(await visionAudioRows(join(dir, 'readers'), say, arg)));
  // Text and DNA rows: tools/bench/data-pipeline-text-genomics.ts (`--text-genomics none` skips them).
  const textGenomics = arg('text-genomics', 'text,genomics')
    .split(',')
    .filter((m): m is 'text' | 'genomics' => m === 'text' || m === 'genomics');
  if (textGenomics.length) {
    lines.push(
      '',
      ...(await textGenomicsSection({
        dir,
        modalities: textGenomics,
        textMiB: Number(arg('text-mib', '2')),
        genomes: Number(arg('genomes', '1')),
        rssSteps: Number(arg('rss-steps', '10')),
        steps: Number(arg('tg-steps', '6')),
        say,
      })),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (markdown) writeFileSync(markdown, `${lines.join('\n')}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
