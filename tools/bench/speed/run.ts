/**
 * Speed bench: ms per training step of autodidact against PyTorch (Debian's python3-torch) in the
 * same run, threads pinned to the same count on both sides (OPENBLAS_NUM_THREADS and OMP_NUM_THREADS
 * for both processes, torch.set_num_threads in the peer).
 *
 * Table 1, the library's own steps (library-steps.ts): the Trainer running each method at its CLI
 * defaults, augmentations and masks included, against a PyTorch peer of the same method
 * (library_peer.py). Both run as long-lived processes and alternate blocks of steps (ours, torch,
 * torch, ours, ...), so load from other jobs slows both sides alike; medians over every timed step,
 * peak RSS per process.
 * Table 2, kernel level (kernel-graphs.ts vs kernel_peer.py): hand-written tfjs graphs with
 * tf.train.adam against the same graphs in PyTorch, one process per measurement.
 *
 *   npm run bench:speed                              # both tables (minutes)
 *   npm run bench:speed -- --tiny                    # library steps at small batches, 1 block: CI smoke (< 1 min)
 *   npm run bench:speed -- --only library --bench simclr,mlm --rounds 3 --block 3 --threads 2
 *   options: --threads N (default 2)  --rounds R  --block K  --warmup W  --only library|kernels
 *            --python PATH (default /usr/bin/python3; torch columns are skipped when it has no torch)
 *            --cpu-budget S (kernel table: also time 1 step on tfjs cpu, 0 = skip, default 0)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LIBRARY_STEPS } from './library-steps.js';
import { benchFlags, SMOKE } from '../smoke.js';

// --smoke (tools/bench/smoke.ts): --tiny on two library steps, which CI runs to check the bench works.
const arg = benchFlags({ bench: 'simclr,mlm' }, process.argv);

const here = fileURLToPath(import.meta.url);
const sibling = (file: string) => here.replace(/run\.ts$/, file);

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

/** A child process answering one JSON line per command (library-child.ts, library_peer.py). */
class Worker {
  private readonly lines: AsyncIterator<string>;
  private err = '';
  readonly exited: Promise<number | null>;

  constructor(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.proc = p;
    p.stderr.on('data', (d) => {
      this.err = (this.err + String(d)).slice(-4000);
    });
    this.lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve) => p.on('close', resolve));
  }

  private readonly proc: ReturnType<typeof spawn>;

  /** The next JSON line, or an error naming the process's last stderr lines. */
  async read(): Promise<Record<string, unknown>> {
    for (;;) {
      const next = await this.lines.next();
      if (next.done) throw new Error(`exited: ${this.err.trim().split('\n').slice(-3).join(' | ')}`);
      const line = String(next.value).trim();
      if (line.startsWith('{')) return JSON.parse(line) as Record<string, unknown>;
    }
  }

  async run(steps: number): Promise<{ ms: number[]; cpu_ms: number[]; tensors?: number }> {
    this.proc.stdin?.write(`run ${steps}\n`);
    return (await this.read()) as { ms: number[]; cpu_ms: number[]; tensors?: number };
  }

  /** Ends the current bench (the process goes on to its next one, or exits). */
  async quit(): Promise<Record<string, unknown>> {
    this.proc.stdin?.write('quit\n');
    return await this.read();
  }

  async close(): Promise<void> {
    this.proc.stdin?.end();
    await this.exited;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

interface Side {
  ready: Record<string, unknown>;
  ms: number[];
  /** Process CPU time per step (user + system, all threads). */
  cpuMs: number[];
  tensors: number[];
  peakRss: number;
  error?: string;
}

/** Whether `python` imports torch. */
function hasTorch(python: string): boolean {
  const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  return r.status === 0;
}

interface LibraryOptions {
  names: string[];
  threads: number;
  rounds: number;
  block: number;
  warmup: number;
  tiny: boolean;
  python?: string;
}

type Pair = { side: 'ours' | 'torch'; w: Worker }[];

/** Our child and the torch peer for `names` (served in turn by the same two processes). */
function spawnPair(names: string[], o: LibraryOptions): Pair {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(o.threads), OMP_NUM_THREADS: String(o.threads) };
  const flags = ['--bench', names.join(','), ...(o.tiny ? ['--tiny'] : [])];
  const pair: Pair = [
    {
      side: 'ours',
      w: new Worker(process.execPath, [...process.execArgv, sibling('library-child.ts'), ...flags], env),
    },
  ];
  if (o.python) {
    pair.push({
      side: 'torch',
      w: new Worker(o.python, [sibling('library_peer.py'), ...flags, '--threads', String(o.threads)], env),
    });
  }
  return pair;
}

/** Warm-up, then alternating timed blocks of one bench on both sides. */
async function libraryRow(pair: Pair, o: LibraryOptions): Promise<{ ours: Side; torch?: Side }> {
  const sides = pair.map((x) => ({
    ...x,
    s: { ready: {}, ms: [], cpuMs: [], tensors: [], peakRss: Number.NaN } as Side,
  }));
  const fail = (x: (typeof sides)[number], e: unknown) => {
    x.s.error = e instanceof Error ? e.message : String(e);
    x.w.kill();
  };
  await Promise.all(
    sides.map(async (x) => {
      try {
        x.s.ready = await x.w.read();
      } catch (e) {
        fail(x, e);
      }
    }),
  );
  const live = () => sides.filter((x) => x.s.error === undefined);
  for (const x of live()) {
    try {
      await x.w.run(o.warmup);
    } catch (e) {
      fail(x, e);
    }
  }
  for (let r = 0; r < o.rounds; r++) {
    // ours, torch in even rounds; torch, ours in odd ones
    const order = r % 2 === 0 ? live() : [...live()].reverse();
    for (const x of order) {
      try {
        const b = await x.w.run(o.block);
        x.s.ms.push(...b.ms);
        x.s.cpuMs.push(...b.cpu_ms);
        if (b.tensors !== undefined) x.s.tensors.push(b.tensors);
      } catch (e) {
        fail(x, e);
      }
    }
  }
  for (const x of live()) {
    try {
      x.s.peakRss = Number((await x.w.quit()).peak_rss_mb);
    } catch (e) {
      fail(x, e);
    }
  }
  return { ours: sides.find((x) => x.side === 'ours')!.s, torch: sides.find((x) => x.side === 'torch')?.s };
}

async function libraryTable(o: LibraryOptions): Promise<string> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const name of o.names) {
    if (!LIBRARY_STEPS.some((s) => s.name === name))
      throw new Error(`unknown library step ${name}; known: ${LIBRARY_STEPS.map((s) => s.name).join(', ')}`);
  }
  // Full runs: a fresh pair of processes per step (peak RSS per step). --tiny: one pair serves all.
  const shared = o.tiny ? spawnPair(o.names, o) : undefined;
  for (const name of o.names) {
    const step = LIBRARY_STEPS.find((s) => s.name === name)!;
    const pair = shared ?? spawnPair([name], o);
    const { ours, torch } = await libraryRow(pair, o);
    if (!shared) await Promise.all(pair.map((x) => x.w.close()));
    const mo = median(ours.ms);
    const mt = torch ? median(torch.ms) : Number.NaN;
    const co = median(ours.cpuMs);
    const ct = torch ? median(torch.cpuMs) : Number.NaN;
    const flat = ours.tensors.length > 0 && ours.tensors.every((t) => t === ours.tensors[0]);
    rows.push([
      `${name}: ${step.title}`,
      String(ours.ready.batch_size ?? '-'),
      `${ours.ready.params ?? '-'} / ${torch?.ready.params ?? '-'}`,
      fmt(mo),
      fmt(mt),
      fmt(mo / mt, 2),
      `${fmt(co, 0)} / ${fmt(ct, 0)}`,
      fmt(co / ct, 2),
      `${fmt(ours.peakRss, 0)} / ${fmt(torch?.peakRss ?? Number.NaN, 0)}`,
      fmt(ours.peakRss / (torch?.peakRss ?? Number.NaN), 2),
      ours.tensors.length ? `${ours.tensors[0]}${flat ? ' (flat)' : ` -> ${ours.tensors.at(-1)}`}` : '-',
    ]);
    if (ours.error) notes.push(`${name} ours: ${ours.error}`);
    if (torch?.error) notes.push(`${name} torch: ${torch.error}`);
    process.stderr.write(
      `${name}: ours ${fmt(mo)} ms, torch ${fmt(mt)} ms, ratio ${fmt(mo / mt, 2)} (CPU time ratio ${fmt(co / ct, 2)})\n`,
    );
  }
  const head = [
    'library step (CLI defaults)',
    'batch',
    'params (ours / torch)',
    'ms/step ours',
    'ms/step torch',
    'ratio',
    'CPU ms/step (ours / torch)',
    'CPU ratio',
    'peak RSS MB (ours / torch)',
    'RSS ratio',
    'live tensors',
  ];
  const steps = o.rounds * o.block;
  const about =
    `Library steps: median of ${steps} steps (${o.rounds} alternating blocks of ${o.block}) after ${o.warmup} ` +
    `warm-up steps; ${o.threads} thread(s) on both sides (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=${o.threads}, ` +
    `torch.set_num_threads(${o.threads}))${o.python ? `; torch ${o.python}` : '; no torch peer (no python3 with torch)'}` +
    `${o.tiny ? '; --tiny batches, one process per side for all rows (peak RSS cumulative)' : ''}. ` +
    'CPU ms is the process CPU time (user + system, every thread; with one thread it is little affected by other jobs).';
  if (shared) await Promise.all(shared.map((x) => x.w.close()));
  return `${about}\n\n${table(head, rows)}\n${notes.map((n) => `note: ${n}\n`).join('')}`;
}

// ---------------------------------------------------------------- kernel-level table

interface KernelResult {
  name: string;
  backend: string;
  params: number;
  ms: number[];
  peak_rss_mb: number;
  tensors_before?: number;
  tensors_after?: number;
  error?: string;
}

async function kernelChild(backend: string, name: string, steps: number, warmup: number): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('@autodidact/core');
  const { BENCHES } = await import('./kernel-graphs.js');
  const info =
    backend === 'default'
      ? await initBackend({ quiet: true })
      : await initBackend({ prefer: backend as 'cpu', quiet: true });
  const make = BENCHES[name];
  if (!make) throw new Error(`unknown kernel graph ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
  const bench = make();
  for (let i = 0; i < warmup; i++) bench.step();
  const before = tf.memory().numTensors;
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    bench.step();
    ms.push(performance.now() - t0);
  }
  const result: KernelResult = {
    name,
    backend: info.name,
    params: bench.params,
    ms,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    tensors_before: before,
    tensors_after: tf.memory().numTensors,
  };
  bench.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  budgetS: number,
): Promise<{ out: string; err: string; timedOut: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let timedOut = false;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer =
      budgetS > 0
        ? setTimeout(() => {
            timedOut = true;
            p.kill('SIGKILL');
          }, budgetS * 1000)
        : undefined;
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ out, err, timedOut, code });
    });
  });
}

async function kernelMeasure(
  kind: 'torch' | 'default' | 'cpu',
  name: string,
  o: { steps: number; warmup: number; budget: number; python: string; threads: number },
): Promise<KernelResult> {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(o.threads), OMP_NUM_THREADS: String(o.threads) };
  const common = ['--bench', name, '--steps', String(o.steps), '--warmup', String(o.warmup)];
  const r =
    kind === 'torch'
      ? await runProcess(o.python, [sibling('kernel_peer.py'), ...common], env, o.budget)
      : await runProcess(
          process.execPath,
          [...process.execArgv, here, '--kernel-child', kind, ...common],
          env,
          o.budget,
        );
  const line = r.out.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as KernelResult;
    return { ...parsed, backend: parsed.backend ?? 'torch' };
  } catch {
    const why = r.timedOut
      ? `over ${o.budget} s budget`
      : `failed (exit ${r.code}): ${r.err.trim().split('\n').slice(-3).join(' | ')}`;
    return { name, backend: kind, params: 0, ms: [], peak_rss_mb: 0, error: why };
  }
}

async function kernelTable(o: {
  names: string[];
  steps: number;
  warmup: number;
  cpuBudget: number;
  python?: string;
  threads: number;
}): Promise<string> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const name of o.names) {
    const base = { steps: o.steps, warmup: o.warmup, budget: 0, python: o.python ?? '', threads: o.threads };
    const torch = o.python ? await kernelMeasure('torch', name, base) : undefined;
    const ours = await kernelMeasure('default', name, base);
    const cpu =
      o.cpuBudget > 0
        ? await kernelMeasure('cpu', name, { ...base, steps: 1, warmup: 0, budget: o.cpuBudget })
        : undefined;
    const t = torch ? median(torch.ms) : Number.NaN;
    const m = median(ours.ms);
    rows.push([
      name,
      `${ours.params} / ${torch?.params ?? '-'}`,
      ours.backend,
      fmt(m),
      fmt(t),
      fmt(m / t, 2),
      cpu ? (cpu.error ? `>${o.cpuBudget * 1000}` : fmt(median(cpu.ms))) : 'skipped',
      `${fmt(ours.peak_rss_mb)} / ${fmt(torch?.peak_rss_mb ?? Number.NaN)}`,
      ours.tensors_before !== undefined ? `${ours.tensors_before} -> ${ours.tensors_after}` : '-',
    ]);
    for (const r of [torch, ours]) if (r?.error) notes.push(`${name} ${r.backend}: ${r.error}`);
    process.stderr.write(`kernel graph ${name}: ours ${fmt(m)} ms (${ours.backend}), torch ${fmt(t)} ms\n`);
  }
  const head = [
    'kernel graph (hand-written tfjs, tf.train.adam)',
    'params (ours / torch)',
    'backend',
    'ms/step ours',
    'ms/step torch',
    'ratio',
    'ms/step tfjs cpu (1 step)',
    'peak RSS MB (ours / torch)',
    `tensors over ${o.steps} steps`,
  ];
  const about = `Kernel graphs: median of ${o.steps} steps after ${o.warmup} warm-up steps, one process per measurement; ${o.threads} thread(s) on both sides`;
  return `${about}\n\n${table(head, rows)}\n${notes.map((n) => `note: ${n}\n`).join('')}`;
}

async function main(): Promise<void> {
  const kernelKind = arg('kernel-child', '');
  if (kernelKind) {
    await kernelChild(kernelKind, arg('bench', ''), Number(arg('steps', '5')), Number(arg('warmup', '2')));
    return;
  }
  const tiny = SMOKE || process.argv.includes('--tiny');
  const only = arg('only', tiny ? 'library' : 'all');
  const threads = Number(arg('threads', '2'));
  const pythonPath = arg('python', '/usr/bin/python3');
  const python = hasTorch(pythonPath) ? pythonPath : undefined;
  if (!python)
    process.stderr.write(`${pythonPath} has no torch: PyTorch columns skipped (apt install python3-torch)\n`);
  const out: string[] = [];
  if (only === 'all' || only === 'library') {
    const names = arg('bench', LIBRARY_STEPS.map((s) => s.name).join(',')).split(',');
    out.push(
      await libraryTable({
        names,
        threads,
        rounds: Number(arg('rounds', tiny ? '1' : '3')),
        block: Number(arg('block', tiny ? '2' : '3')),
        warmup: Number(arg('warmup', tiny ? '1' : '2')),
        tiny,
        python,
      }),
    );
  }
  if (only === 'all' || only === 'kernels') {
    const { BENCHES } = await import('./kernel-graphs.js');
    const names = only === 'kernels' ? arg('bench', Object.keys(BENCHES).join(',')).split(',') : Object.keys(BENCHES);
    out.push(
      await kernelTable({
        names,
        steps: Number(arg('steps', '5')),
        warmup: Number(arg('warmup', '2')),
        cpuBudget: Number(arg('cpu-budget', '0')),
        python,
        threads,
      }),
    );
  }
  process.stdout.write(`\n${out.join('\n')}`);
}

await main();
