/**
 * The image-folder and long-WAV rows of `npm run bench:data` (issue 18), each a function that
 * returns its markdown lines, called from data-pipeline.ts:
 *
 * - `benchImageFolder`: a folder of JPEGs cut from the real photos in data/photos (random square
 *   crops of 64-96 px, scaled and centre-cropped to `--image-size` by the loader): batches/s of
 *   the streaming pipeline alone (openImageFolder, 1 and 2 data workers) against the rate a
 *   SimCLR step at its default batch consumes them; the streamed step's time against the
 *   in-memory step's; and PyTorch's DataLoader(num_workers=2) over the same files with the same
 *   decode, resize and centre crop (PIL), images/s side by side, both timed over the same
 *   `--image-batches` batches (48 by default: about 2 s of steady state; 12, the earlier window,
 *   was about 0.5 s and swung with the workers' start) after a warm-up. The header names the
 *   decoder used (the native libjpeg-turbo path when the addon is built, else sharp), the thread
 *   settings and the load average.
 * - `benchImageFolderMemory`: peak RSS of `autodidact pretrain vision --method simclr
 *   --data-mode stream` over a folder and over one 10x larger, at a fixed step count (a child
 *   process per run, through the CLI's own code).
 * - `benchWavCrops`: long recordings made by joining the spoken-digit clips (22.05 kHz) into
 *   minutes-long WAVs; 1 s crops at 16 kHz read by offset (resampled per crop): the pipeline's
 *   batches/s against a wav2vec 2.0 step at its default batch, streamed and in memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWavCrops, readWav } from '@autodidact/audio';
import { modality as audio } from '@autodidact/audio';
import {
  type AnyDataset,
  BadFiles,
  DataOrder,
  isStreaming,
  loadStreamedBatch,
  type MethodDefinition,
  Rng,
  type StreamingDataset,
  type TensorDataset,
  Trainer,
} from '@autodidact/core';
import { listImageFolder, nativeJpegCover, openImageFolder, modality as vision } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import wavefile from 'wavefile';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;

/** What every section gets from the bench's main. */
export interface SectionOptions {
  /** A scratch folder the section may fill (removed by the caller). */
  dir: string;
  say: (line: string) => void;
  /** Timed training steps per run, and runs per source (alternating). */
  steps: number;
  rounds: number;
  prefetch: number;
}

/** Writes `n` square JPEGs of `sides[0]`-`sides[1]` px cut from data/photos into `dir` (deterministic). */
export async function writePhotoCrops(
  dir: string,
  n: number,
  seed = 0,
  sides: readonly [number, number] = [64, 96],
): Promise<void> {
  const photosDir = join(repo, 'data', 'photos');
  if (!existsSync(photosDir)) throw new Error(`${photosDir} is missing: npx autodidact data fetch photos`);
  const photos: { raw: Buffer; width: number; height: number }[] = [];
  for (const f of readdirSync(photosDir).sort()) {
    if (!/\.(png|jpe?g)$/i.test(f)) continue;
    const decoded = await sharp(join(photosDir, f))
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
      .catch(() => undefined); // the set holds a few deliberately broken files
    if (!decoded) continue;
    const { data, info } = decoded;
    if (Math.min(info.width, info.height) < 128 || info.channels !== 3) continue;
    photos.push({ raw: data, width: info.width, height: info.height });
  }
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const jobs = Array.from({ length: n }, (_, i) => {
    const p = photos[i % photos.length]!;
    const side = Math.min(sides[0] + rng.int(sides[1] - sides[0] + 1), p.width, p.height);
    const scale = 1 + rng.next() * 2; // cut 1-3x the side, then shrink: detail like a photo's
    const cut = Math.min(Math.round(side * scale), p.width, p.height);
    return { i, p, side, left: rng.int(p.width - cut + 1), top: rng.int(p.height - cut + 1), cut };
  });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++]!;
      await sharp(j.p.raw, { raw: { width: j.p.width, height: j.p.height, channels: 3 } })
        .extract({ left: j.left, top: j.top, width: j.cut, height: j.cut })
        .resize(j.side, j.side)
        .jpeg({ quality: 90 })
        .toFile(join(dir, `${String(j.i).padStart(6, '0')}.jpg`));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Batches/s of a streaming dataset alone, over `batches` batches of the seeded data order (after 2 warm-up batches). */
async function pipelineRate(ds: StreamingDataset<tf.Tensor>, order: DataOrder, batches: number): Promise<number> {
  for (let s = 0; s < 2; s++) tf.dispose(await loadStreamedBatch(ds, order, 0, s, 2));
  const t0 = performance.now();
  for (let s = 0; s < batches; s++) {
    const step = (s + 2) % order.stepsPerEpoch;
    tf.dispose(await loadStreamedBatch(ds, order, Math.floor((s + 2) / order.stepsPerEpoch), step, batches - s));
  }
  return (1000 * batches) / (performance.now() - t0);
}

/** Wall and CPU ms per training step of `spec` on `data` (after two warm-up steps). */
async function stepTimes(
  spec: MethodDefinition<tf.Tensor>,
  data: AnyDataset<tf.Tensor>,
  sampleShape: number[],
  batchSize: number,
  steps: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  const method = spec.create({ sampleShape, options: { ...spec.defaults }, rng: new Rng(1) });
  const stamps: { wall: number; cpu: number }[] = [];
  const now = () => {
    const u = process.cpuUsage();
    return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
  };
  const trainer = new Trainer(
    method,
    { ...spec.trainerDefaults, batchSize, steps: steps + 2, seed: 0, quiet: true, diagnosticsEvery: 0 },
    [{ onStepEnd: () => void stamps.push(now()) }],
  );
  await trainer.fit(data);
  trainer.optimizer?.dispose();
  method.dispose();
  const timed = stamps.slice(1);
  return {
    wall: timed.slice(1).map((t, k) => t.wall - timed[k]!.wall),
    cpu: timed.slice(1).map((t, k) => t.cpu - timed[k]!.cpu),
  };
}

/** Step times on an in-memory and a streamed source, alternating `rounds` times. */
async function compareSteps(
  spec: MethodDefinition<tf.Tensor>,
  memory: AnyDataset<tf.Tensor>,
  stream: AnyDataset<tf.Tensor>,
  sampleShape: number[],
  batchSize: number,
  o: SectionOptions,
) {
  const mem = { wall: [] as number[], cpu: [] as number[] };
  const str = { wall: [] as number[], cpu: [] as number[] };
  for (let r = 0; r < o.rounds; r++) {
    for (const [acc, data] of [
      [mem, memory],
      [str, stream],
    ] as const) {
      const t = await stepTimes(spec, data, sampleShape, batchSize, o.steps);
      acc.wall.push(...t.wall);
      acc.cpu.push(...t.cpu);
    }
  }
  return { memWall: median(mem.wall), memCpu: median(mem.cpu), strWall: median(str.wall), strCpu: median(str.cpu) };
}

/** Images/s of PyTorch's DataLoader(num_workers=2) over `dir` (PIL decode, resize, centre crop), or why not. */
function torchImagesPerSecond(
  dir: string,
  size: number,
  batchSize: number,
  batches: number,
): { rate?: number; note: string } {
  const python = '/usr/bin/python3';
  const script = join(repo, 'tools', 'bench', 'image_folder_peer.py');
  const r = spawnSync(python, [script, dir, String(size), String(batchSize), String(batches)], { encoding: 'utf8' });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || '').trim().split('\n').at(-1);
    return { note: `PyTorch peer not run: ${why}` };
  }
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { images_per_s: number; torch: string; pil: string };
  return { rate: out.images_per_s, note: `PyTorch ${out.torch}, PIL ${out.pil}` };
}

/** Pipeline rates and the PyTorch peer over folders of small and of larger images, and step times on the first. */
export async function benchImageFolder(
  o: SectionOptions & {
    images: number;
    imageSize: number;
    workerCounts: number[];
    sides: [number, number][];
    /** Timed batches of each loader, ours and PyTorch's alike. */
    batches: number;
  },
): Promise<string[]> {
  const size = o.imageSize;
  const loadAtStart = loadavg()[0]!.toFixed(1);
  const spec = vision.methods.get('simclr');
  const batchSize = spec.trainerDefaults.batchSize ?? 256;
  const folders: { sides: [number, number]; rates: Map<number, number>; peer: { rate?: number; note: string } }[] = [];
  for (const sides of o.sides) {
    const dir = join(o.dir, `photos-${sides.join('-')}`);
    await writePhotoCrops(dir, o.images, 0, sides);
    const listing = listImageFolder(dir, 'none');
    const order = new DataOrder(listing.files.length, batchSize, 0);
    const rates = new Map<number, number>();
    for (const w of o.workerCounts) {
      const ds = (await openImageFolder(dir, {
        listing,
        size: [size, size],
        channels: 3,
        dataMode: 'stream',
        workers: w,
        prefetch: o.prefetch,
        badFiles: new BadFiles(),
      })) as StreamingDataset<tf.Tensor>;
      rates.set(w, await pipelineRate(ds, order, o.batches));
      await ds.close();
      o.say(`${sides.join('-')} px images, ${w} worker(s): ${rates.get(w)!.toFixed(2)} batches/s`);
    }
    const peer = torchImagesPerSecond(dir, size, batchSize, o.batches);
    o.say(`${sides.join('-')} px images, ${peer.note}${peer.rate ? `: ${peer.rate.toFixed(0)} images/s` : ''}`);
    folders.push({ sides, rates, peer });
  }
  const dir = join(o.dir, `photos-${o.sides[0]!.join('-')}`);
  const listing = listImageFolder(dir, 'none');
  const open = (dataMode: 'memory' | 'stream', workers: number) =>
    openImageFolder(dir, {
      listing,
      size: [size, size],
      channels: 3,
      dataMode,
      workers,
      prefetch: o.prefetch,
      badFiles: new BadFiles(),
    });
  const shape = [size, size, 3];
  const t0 = performance.now();
  const memory = await open('memory', Math.max(...o.workerCounts));
  const loadSeconds = (performance.now() - t0) / 1000;
  const w = Math.max(...o.workerCounts);
  const stream = await open('stream', w);
  const t = await compareSteps(spec, memory, stream, shape, batchSize, o);
  await (stream as StreamingDataset<tf.Tensor>).close();
  (memory as TensorDataset).dispose();
  const consume = 1000 / t.strWall;
  const decoder = nativeJpegCover()
    ? 'decoded by libjpeg-turbo through the native addon (shrink on load, bilinear resize; sharp for anything but plain JPEGs)'
    : 'decoded by sharp (the native JPEG path is not built)';
  const lines = [
    `Image folders: ${o.images} JPEGs each, cut from data/photos at ${o.sides.map((x) => `${x[0]}-${x[1]}`).join(' and ')} px, ${decoder}, shorter side scaled and centre cropped to ${size}x${size}x3, batch ${batchSize} (SimCLR's default); UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, OPENBLAS_NUM_THREADS ${process.env.OPENBLAS_NUM_THREADS ?? 'unset'}; load average ${loadAtStart} at the section's start, ${loadavg()[0]!.toFixed(1)} at its end; in memory: all decoded once by ${w} data workers in ${loadSeconds.toFixed(1)} s.`,
    '',
    "| image folder | batches/s, pipeline alone | images/s | vs the step's consumption |",
    '|---|---|---|---|',
  ];
  for (const f of folders) {
    const px = `${f.sides[0]}-${f.sides[1]} px`;
    for (const [n, r] of f.rates) {
      lines.push(
        `| ${px}, streamed, ${n} data worker${n > 1 ? 's' : ''}, prefetch ${o.prefetch} | ${r.toFixed(2)} | ${(r * batchSize).toFixed(0)} | ${(r / consume).toFixed(1)}x |`,
      );
    }
    const ours2 = (f.rates.get(2) ?? f.rates.get(w)!) * batchSize;
    lines.push(
      f.peer.rate
        ? `| ${px}, PyTorch DataLoader(num_workers=2), PIL decode + resize + centre crop (${f.peer.note}) | ${(f.peer.rate / batchSize).toFixed(2)} | ${f.peer.rate.toFixed(0)} | ours (2 workers) / PyTorch: ${(ours2 / f.peer.rate).toFixed(2)}x |`
        : `| ${px}, ${f.peer.note} | | | |`,
    );
  }
  lines.push(
    '',
    `| SimCLR step, batch ${batchSize}, ${size}x${size}x3, median of ${o.rounds} x ${o.steps} | wall ms | CPU ms (all threads) |`,
    '|---|---|---|',
    `| in memory | ${t.memWall.toFixed(0)} | ${t.memCpu.toFixed(0)} |`,
    `| streamed (${w} data worker${w > 1 ? 's' : ''}, prefetch ${o.prefetch}) | ${t.strWall.toFixed(0)} (${pct(t.strWall, t.memWall)}) | ${t.strCpu.toFixed(0)} (${pct(t.strCpu, t.memCpu)}) |`,
  );
  return lines;
}

/** Peak RSS (MiB) of one CLI run in a child process. */
function cliPeakRss(args: string[], cacheDir: string): number {
  const child = join(repo, 'tools', 'bench', 'cli-peak-rss.ts');
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', child, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, AUTODIDACT_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  const last = JSON.parse(out.trim().split('\n').at(-1)!) as { code: number; peak_rss_mb: number };
  if (last.code !== 0) throw new Error(`autodidact ${args.join(' ')} exited ${last.code}`);
  return last.peak_rss_mb;
}

/** Peak RSS of streamed SimCLR pretraining over a folder and one 10x larger, steps fixed. */
export async function benchImageFolderMemory(
  o: SectionOptions & { images: number; imageSize: number; pretrainSteps: number; batchSize: number },
): Promise<string[]> {
  const rows: string[] = [];
  const rss: number[] = [];
  const sizes = [o.images, 10 * o.images];
  for (const n of sizes) {
    const dir = join(o.dir, `flat-${n}`);
    await writePhotoCrops(dir, n, 1);
    const args = [
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--data',
      dir,
      '--data-mode',
      'stream',
      '--image-size',
      String(o.imageSize),
      '--steps',
      String(o.pretrainSteps),
      '--batch-size',
      String(o.batchSize),
      '--out',
      join(o.dir, `run-${n}`),
      '--no-report',
      '--map-samples',
      '0',
      '--quiet',
    ];
    const mb = cliPeakRss(args, join(o.dir, 'cache'));
    o.say(`pretrain vision simclr, ${n} images streamed: peak RSS ${mb.toFixed(0)} MiB`);
    rss.push(mb);
    const decoded = (n * o.imageSize * o.imageSize * 3 * 4) / 2 ** 20;
    rows.push(`| ${n.toLocaleString('en-US')} | ${decoded.toFixed(0)} | ${mb.toFixed(0)} |`);
  }
  return [
    `Flat memory: \`autodidact pretrain vision --method simclr --data-mode stream --image-size ${o.imageSize} --steps ${o.pretrainSteps} --batch-size ${o.batchSize}\` over JPEGs cut from data/photos; peak RSS of the whole process (training thread and data workers), the folder grown 10x: ${pct(rss[1]!, rss[0]!)}.`,
    '',
    '| images | decoded size (MiB) | peak RSS (MiB) |',
    '|---|---|---|',
    ...rows,
  ];
}

/** Joins the spoken-digit clips into `files` recordings of about `minutes` each (22.05 kHz, 16-bit). */
async function writeLongRecordings(dir: string, files: number, minutes: number): Promise<number> {
  const src = join(repo, 'data', 'spoken-digits');
  if (!existsSync(src)) throw new Error(`${src} is missing: npx autodidact data fetch spoken-digits`);
  const clips: string[] = [];
  for (const d of readdirSync(src).sort()) {
    if (d.startsWith('.')) continue;
    for (const f of readdirSync(join(src, d)).sort()) if (f.endsWith('.wav')) clips.push(join(src, d, f));
  }
  mkdirSync(dir, { recursive: true });
  const rate = 22050;
  const perFile = Math.round(minutes * 60 * rate);
  let c = 0;
  for (let f = 0; f < files; f++) {
    const out = new Int16Array(perFile);
    let at = 0;
    while (at < perFile) {
      const clip = (await readWav(clips[c++ % clips.length]!, { sampleRate: rate })).samples;
      for (let i = 0; i < clip.length && at < perFile; i++) {
        out[at++] = Math.max(-32768, Math.min(32767, Math.round(clip[i]! * 32767)));
      }
      at = Math.min(perFile, at + Math.round(0.2 * rate)); // 200 ms of silence between words
    }
    const w = new wavefile.WaveFile();
    w.fromScratch(1, rate, '16', out);
    writeFileSync(join(dir, `recording-${f}.wav`), w.toBuffer());
  }
  return (files * perFile) / rate;
}

/** Pipeline rates and step times over long recordings, 1 s crops at 16 kHz. */
export async function benchWavCrops(
  o: SectionOptions & { files: number; minutes: number; workerCounts: number[] },
): Promise<string[]> {
  const dir = join(o.dir, 'long-wavs');
  const seconds = await writeLongRecordings(dir, o.files, o.minutes);
  const spec = audio.methods.get('wav2vec2');
  const batchSize = spec.trainerDefaults.batchSize ?? 16;
  const crop = 16000;
  const open = (dataMode: 'memory' | 'stream', workers: number) =>
    openWavCrops(dir, {
      sampleRate: 16000,
      cropSamples: crop,
      dataMode,
      workers,
      prefetch: o.prefetch,
      badFiles: new BadFiles(),
    });
  const rates = new Map<number, number>();
  let size = 0;
  for (const w of o.workerCounts) {
    const ds = (await open('stream', w)) as StreamingDataset<tf.Tensor>;
    size = ds.size;
    const order = new DataOrder(ds.size, batchSize, 0);
    rates.set(w, await pipelineRate(ds, order, 40));
    await ds.close();
    o.say(`long WAVs, ${w} worker(s): ${rates.get(w)!.toFixed(1)} batches/s`);
  }
  const w = Math.max(...o.workerCounts);
  const memory = await open('memory', w);
  const stream = await open('stream', w);
  if (isStreaming(memory) || !isStreaming(stream)) throw new Error('expected one in-memory and one streamed source');
  const t = await compareSteps(spec, memory, stream, [crop], batchSize, o);
  await stream.close();
  (memory as TensorDataset).dispose();
  const consume = 1000 / t.strWall;
  return [
    `Long recordings: ${o.files} WAVs of ${o.minutes} min (22.05 kHz 16-bit, the spoken-digit clips joined; ${(seconds / 60).toFixed(0)} min in all), ${size} crops of 1 s read by offset and resampled to 16 kHz per crop; batch ${batchSize} (wav2vec 2.0's default).`,
    '',
    "| long WAVs | batches/s, pipeline alone | vs the step's consumption |",
    '|---|---|---|',
    ...[...rates].map(
      ([n, r]) =>
        `| streamed (random crops), ${n} data worker${n > 1 ? 's' : ''}, prefetch ${o.prefetch} | ${r.toFixed(1)} | ${(r / consume).toFixed(1)}x |`,
    ),
    '',
    `| wav2vec 2.0 step, batch ${batchSize}, 1 s at 16 kHz, median of ${o.rounds} x ${o.steps} | wall ms | CPU ms (all threads) |`,
    '|---|---|---|',
    `| in memory | ${t.memWall.toFixed(0)} | ${t.memCpu.toFixed(0)} |`,
    `| streamed (${w} data worker${w > 1 ? 's' : ''}, prefetch ${o.prefetch}) | ${t.strWall.toFixed(0)} (${pct(t.strWall, t.memWall)}) | ${t.strCpu.toFixed(0)} (${pct(t.strCpu, t.memCpu)}) |`,
  ];
}

/**
 * The image and audio sections, as data-pipeline.ts's main runs them: `--sections` picks
 * (`images,image-memory,wavs`, default all), `--images` (1024), `--image-size` (64),
 * `--flat-images` (1000: the flat-memory folder, and 10x that), `--flat-steps` (10),
 * `--flat-batch-size` (64), `--wav-files` (4), `--wav-minutes` (3).
 */
export async function visionAudioRows(
  dir: string,
  say: (line: string) => void,
  arg: (name: string, fallback: string) => string,
): Promise<string[]> {
  const sections = arg('sections', 'images,image-memory,wavs').split(',');
  const base: SectionOptions = {
    dir,
    say,
    steps: Number(arg('steps', '8')),
    rounds: Number(arg('rounds', '3')),
    prefetch: Number(arg('prefetch', '2')),
  };
  const workerCounts = arg('workers', '1,2').split(',').map(Number);
  const imageSize = Number(arg('image-size', '64'));
  const out: string[] = [];
  if (sections.includes('images')) {
    out.push(
      '',
      ...(await benchImageFolder({
        ...base,
        images: Number(arg('images', '1024')),
        imageSize,
        workerCounts,
        batches: Number(arg('image-batches', '48')),
        sides: arg('image-sides', '64-96,256-384')
          .split(',')
          .map((r) => r.split('-').map(Number) as [number, number]),
      })),
    );
  }
  if (sections.includes('image-memory')) {
    out.push(
      '',
      ...(await benchImageFolderMemory({
        ...base,
        images: Number(arg('flat-images', '1000')),
        imageSize,
        pretrainSteps: Number(arg('flat-steps', '10')),
        batchSize: Number(arg('flat-batch-size', '64')),
      })),
    );
  }
  if (sections.includes('wavs')) {
    out.push(
      '',
      ...(await benchWavCrops({
        ...base,
        files: Number(arg('wav-files', '4')),
        minutes: Number(arg('wav-minutes', '3')),
        workerCounts,
      })),
    );
  }
  return out;
}
