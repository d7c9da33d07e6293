/**
 * The text and DNA rows of `npm run bench:data` (issue 18), called from data-pipeline.ts:
 *
 * - Flat memory: peak RSS of `autodidact pretrain <text|genomics> --data-mode stream` (the
 *   compiled CLI, `packages/core/bin/autodidact.js`: run `npm run build` first) with a
 *   fixed step count, on a data set and on the same data set 10x larger (real data: State of
 *   the Union speeches; bacterial genomes from the bacteria set), each run in its own process
 *   (peak RSS is per process), once cold (the corpus tokenised / the genomes indexed during the
 *   run) and once warm (the cache reused).
 * - Data is never the bottleneck: batches/s of the streaming pipeline alone against the rate the
 *   default method's training step consumes them at its default batch size, and the streamed
 *   step's time against the in-memory step's.
 *
 * Options (after `npm run bench:data --`): `--text-mib 2` (the 1x corpus), `--genomes 1` (the
 * 1x collection), `--rss-steps 10`, `--tg-steps 6` (timed steps per mode), `--sections`.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AnyDataset,
  DataOrder,
  isStreaming,
  loadStreamedBatch,
  type Modality,
  Rng,
  type StreamingDataset,
  Trainer,
} from '@autodidact/core';
import { modality as genomics } from '@autodidact/genomics';
import { modality as text } from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';

const repo = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Options of {@link textGenomicsSection}. */
export interface TextGenomicsOptions {
  /** Scratch folder (removed by the caller). */
  dir: string;
  modalities: readonly ('text' | 'genomics')[];
  /** MiB of SOTU speeches in the 1x corpus. */
  textMiB: number;
  /** Genomes in the 1x collection. */
  genomes: number;
  /** Steps of each peak-RSS run. */
  rssSteps: number;
  /** Timed steps per mode (after two warm-up steps). */
  steps: number;
  say: (line: string) => void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mib = (kib: number) => (kib / 1024).toFixed(0);

/** The 1x text corpus (the first SOTU speeches, `mib` MiB) and the same ten times over. */
async function textCorpora(dir: string, megabytes: number): Promise<[string, string]> {
  const src = join(repo, 'data', 'sotu');
  const names = (await readdir(src)).filter((f) => f.endsWith('.txt')).sort();
  const one = join(dir, 'text-1x');
  const ten = join(dir, 'text-10x');
  await mkdir(one, { recursive: true });
  let bytes = 0;
  const taken: string[] = [];
  for (const f of names) {
    if (bytes >= megabytes * 2 ** 20) break;
    await copyFile(join(src, f), join(one, f));
    bytes += (await stat(join(src, f))).size;
    taken.push(f);
  }
  for (let c = 0; c < 10; c++) {
    await mkdir(join(ten, `copy-${c}`), { recursive: true });
    for (const f of taken) await copyFile(join(src, f), join(ten, `copy-${c}`, f));
  }
  return [one, ten];
}

/** The 1x genome collection (the first `n` bacteria training genomes, gzipped FASTA) and ten copies of it. */
async function genomeCollections(dir: string, n: number): Promise<[string, string]> {
  const src = join(repo, 'data', 'bacteria', 'train');
  const files: string[] = [];
  for (const species of (await readdir(src)).sort()) {
    for (const f of (await readdir(join(src, species))).sort()) files.push(join(src, species, f));
  }
  const chosen = files.slice(0, n);
  const one = join(dir, 'dna-1x');
  const ten = join(dir, 'dna-10x');
  await mkdir(one, { recursive: true });
  for (const f of chosen) await copyFile(f, join(one, f.split('/').slice(-2).join('-')));
  for (let c = 0; c < 10; c++) {
    await mkdir(join(ten, `copy-${c}`), { recursive: true });
    for (const f of chosen) await copyFile(f, join(ten, `copy-${c}`, f.split('/').slice(-2).join('-')));
  }
  return [one, ten];
}

/**
 * Throws unless the compiled packages the peak-RSS runs use (`packages/core/bin/autodidact.js`
 * on `dist/`) are at least as new as their sources: `npm run build` first.
 */
async function checkBuilt(): Promise<void> {
  for (const pkg of ['core', 'text', 'genomics']) {
    const newest = async (p: string): Promise<number> => {
      let t = 0;
      for (const e of await readdir(p, { withFileTypes: true })) {
        const q = join(p, e.name);
        // test-support/ is not part of the build (see the packages' tsconfig.json)
        if (e.isDirectory()) t = e.name === 'test-support' ? t : Math.max(t, await newest(q));
        else if (e.name.endsWith('.ts') && !e.name.includes('.test.')) t = Math.max(t, (await stat(q)).mtimeMs);
      }
      return t;
    };
    const src = await newest(join(repo, 'packages', pkg, 'src'));
    const built = await stat(join(repo, 'packages', pkg, 'dist', '.tsbuildinfo')).catch(() => undefined);
    if (!built || built.mtimeMs < src) {
      throw new Error(`packages/${pkg}/dist is missing or older than its sources: run npm run build first`);
    }
  }
}

/** Peak RSS (KiB) of one `autodidact` run (the compiled CLI) in a fresh process, and its wall seconds. */
function peakRss(args: string[], cacheDir: string): { kib: number; seconds: number } {
  const report =
    'data:text/javascript,process.on("exit",()=>process.stdout.write("\\n"+JSON.stringify({kib:process.resourceUsage().maxRSS})+"\\n"))';
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', report, join(repo, 'packages', 'core', 'bin', 'autodidact.js'), ...args],
    {
      encoding: 'utf8',
      cwd: repo,
      env: { ...process.env, AUTODIDACT_CACHE_DIR: cacheDir },
    },
  );
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { kib?: number };
  if (r.status !== 0 || !last.kib)
    throw new Error(`autodidact ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { kib: last.kib, seconds: (performance.now() - t0) / 1000 };
}

/** Batches/s of the streaming pipeline alone over `n` batches of the data order. */
async function pipelineRate(ds: StreamingDataset<tf.Tensor>, order: DataOrder, n: number): Promise<number> {
  for (let s = 0; s < 2; s++) tf.dispose(await loadStreamedBatch(ds, order, 0, s % order.stepsPerEpoch, 2));
  const t0 = performance.now();
  for (let s = 0; s < n; s++) {
    const t = await loadStreamedBatch(ds, order, Math.floor(s / order.stepsPerEpoch), s % order.stepsPerEpoch, n - s);
    t.dispose();
  }
  return (1000 * n) / (performance.now() - t0);
}

/** Wall and CPU ms of each training step of `method` (after two warm-up steps). */
async function stepMs(
  m: Modality<tf.Tensor>,
  method: string,
  data: AnyDataset<tf.Tensor>,
  steps: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  const spec = m.methods.get(method);
  const created = spec.create({
    sampleShape: [...data.sampleShape!],
    options: { ...spec.defaults },
    rng: new Rng(1),
  });
  const stamps: { wall: number; cpu: number }[] = [];
  const now = () => {
    const u = process.cpuUsage();
    return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
  };
  const trainer = new Trainer(
    created,
    {
      ...spec.trainerDefaults,
      batchSize: spec.trainerDefaults?.batchSize ?? 32,
      steps: steps + 2,
      seed: 0,
      quiet: true,
      diagnosticsEvery: 0,
    },
    [{ onStepEnd: () => void stamps.push(now()) }],
  );
  await trainer.fit(data);
  trainer.optimizer?.dispose();
  created.dispose();
  const timed = stamps.slice(1);
  return {
    wall: timed.slice(1).map((t, k) => t.wall - timed[k]!.wall),
    cpu: timed.slice(1).map((t, k) => t.cpu - timed[k]!.cpu),
  };
}

const close = async (ds: AnyDataset<tf.Tensor>) => {
  if (isStreaming(ds)) await ds.close();
  else ds.dispose?.();
};

/** The markdown lines of the text and DNA section. */
export async function textGenomicsSection(o: TextGenomicsOptions): Promise<string[]> {
  await checkBuilt();
  const rssRows: string[][] = [];
  const rateRows: string[][] = [];
  const stepRows: string[][] = [];
  const cases = {
    text: { m: text, method: 'mlm', label: 'text (SOTU speeches)' },
    genomics: { m: genomics, method: 'self-genomenet', label: 'DNA (bacterial genomes, gzipped FASTA)' },
  } as const;
  for (const name of o.modalities) {
    const c = cases[name];
    const [one, ten] =
      name === 'text' ? await textCorpora(o.dir, o.textMiB) : await genomeCollections(o.dir, o.genomes);
    const sizeOf = async (d: string) => {
      let s = 0;
      const walk = async (p: string) => {
        for (const e of await readdir(p, { withFileTypes: true })) {
          if (e.isDirectory()) await walk(join(p, e.name));
          else s += (await stat(join(p, e.name))).size;
        }
      };
      await walk(d);
      return s;
    };

    // 1. Peak RSS, 1x and 10x: streamed from a cold cache (tokenised / indexed in the run) and a
    // warm one, and for contrast held in memory; each run its own process.
    const runs = [
      ['cold', 'stream'],
      ['warm', 'stream'],
      ['warm', 'memory'],
    ] as const;
    const rss: Record<string, { kib: number; seconds: number }> = {};
    for (const [scale, data] of [
      ['1x', one],
      ['10x', ten],
    ] as const) {
      const cache = join(o.dir, `cache-${name}-${scale}`);
      for (const [run, mode] of runs) {
        const args = [
          'pretrain',
          name,
          '--method',
          c.method,
          '--data',
          data,
          '--steps',
          String(o.rssSteps),
          '--data-mode',
          mode,
          '--out',
          join(o.dir, `run-${name}-${scale}-${run}-${mode}`),
          '--no-eval',
          '--no-report',
          '--map-samples',
          '0',
          '--no-resume',
          '-q',
        ];
        const key = `${scale} ${run} ${mode}`;
        rss[key] = peakRss(args, cache);
        o.say(`${name} ${key}: peak RSS ${mib(rss[key]!.kib)} MiB, ${rss[key]!.seconds.toFixed(0)} s`);
      }
    }
    const [b1, b10] = [await sizeOf(one), await sizeOf(ten)];
    for (const [run, mode] of runs) {
      const a = rss[`1x ${run} ${mode}`]!;
      const b = rss[`10x ${run} ${mode}`]!;
      const growth = (b.kib / a.kib - 1) * 100;
      const what = name === 'text' ? 'tokenised' : 'indexed';
      rssRows.push([
        `${c.label}, ${c.method}`,
        `\`--data-mode ${mode}\`, ${run} cache${run === 'cold' ? ` (${what} in the run)` : ''}`,
        `${(b1 / 2 ** 20).toFixed(1)} MiB: ${mib(a.kib)} MiB, ${a.seconds.toFixed(0)} s`,
        `${(b10 / 2 ** 20).toFixed(1)} MiB: ${mib(b.kib)} MiB, ${b.seconds.toFixed(0)} s`,
        `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`,
      ]);
    }

    // 2. The pipeline alone against the step, at the method's default batch size, on the 10x set.
    const spec = c.m.methods.get(c.method);
    const batch = spec.trainerDefaults?.batchSize ?? 32;
    const streamed = (await c.m.loadUnlabeled(ten, {
      dataMode: 'stream',
      log: () => undefined,
    })) as StreamingDataset<tf.Tensor>;
    const memory = await c.m.loadUnlabeled(ten, { dataMode: 'memory', log: () => undefined });
    const order = new DataOrder(streamed.size, batch, 0);
    const rate = await pipelineRate(streamed, order, Math.max(32, 4 * o.steps));
    const mem = { wall: [] as number[], cpu: [] as number[] };
    const str = { wall: [] as number[], cpu: [] as number[] };
    for (let r = 0; r < 2; r++) {
      for (const [acc, data] of [
        [mem, memory],
        [str, streamed],
      ] as const) {
        const t = await stepMs(c.m, c.method, data, o.steps);
        acc.wall.push(...t.wall);
        acc.cpu.push(...t.cpu);
      }
    }
    const [mw, sw, mc, sc] = [median(mem.wall), median(str.wall), median(mem.cpu), median(str.cpu)];
    const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;
    rateRows.push([
      `${c.label} (${streamed.size} samples of [${streamed.sampleShape!.join('x')}])`,
      `stream, default data workers, prefetch 2`,
      rate.toFixed(1),
      `${(rate / (1000 / sw)).toFixed(1)}x`,
    ]);
    stepRows.push([
      `${c.method}, batch ${batch}`,
      mw.toFixed(0),
      `${sw.toFixed(0)} (${pct(sw, mw)})`,
      mc.toFixed(0),
      `${sc.toFixed(0)} (${pct(sc, mc)})`,
    ]);
    await close(streamed);
    await close(memory);
  }
  return [
    `Text and DNA: peak RSS of \`autodidact pretrain <modality> --steps ${o.rssSteps}\` (the compiled CLI), each run its own process, on a data set and on ten copies of it:`,
    '',
    '| data, method | run | 1x: data size: peak RSS, wall time | 10x: data size: peak RSS, wall time | growth |',
    '|---|---|---|---|---|',
    ...rssRows.map((r) => `| ${r.join(' | ')} |`),
    '',
    "| reader | source | batches/s (pipeline alone) | vs the step's consumption |",
    '|---|---|---|---|',
    ...rateRows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `| training step (10x set), median of 2 x ${o.steps} | in memory, wall ms | streamed, wall ms | in memory, CPU ms | streamed, CPU ms |`,
    '|---|---|---|---|---|',
    ...stepRows.map((r) => `| ${r.join(' | ')} |`),
  ];
}
