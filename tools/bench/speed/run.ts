/**
 * Speed benchmark (issue 3): ms per training step of autodidact's default backend against
 * PyTorch (Debian python3-torch, 2 threads) in the same run on the same machine, plus a capped
 * tfjs `cpu` column. Each measurement runs in its own process so peak RSS is per benchmark.
 *
 *   npm run bench:speed                        # all benchmarks, 10 timed steps each
 *   npm run bench:speed -- --bench masked-lm --steps 1000   # endurance: tensor count over 1,000 steps
 *   options: --bench a,b  --steps N  --warmup N  --cpu-budget SECONDS (0 = skip the cpu column)  --python PATH
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@autodidact/core';
import { BENCHES } from './models.js';
import { benchFlags } from '../smoke.js';

interface Result {
  name: string;
  backend: string;
  params: number;
  ms: number[];
  peak_rss_mb: number;
  tensors_before?: number;
  tensors_after?: number;
  error?: string;
}

// --smoke: one timed step per benchmark, no warm-up, no capped cpu column (tools/bench/smoke.ts).
const arg = benchFlags({ steps: '1', warmup: '0', 'cpu-budget': '0' }, process.argv);

const median = (xs: number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function child(backend: string, name: string, steps: number, warmup: number): Promise<void> {
  const info =
    backend === 'default'
      ? await initBackend({ quiet: true })
      : await initBackend({ prefer: backend as 'cpu', quiet: true });
  const make = BENCHES[name];
  if (!make) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
  const bench = make();
  for (let i = 0; i < warmup; i++) bench.step();
  const before = tf.memory().numTensors;
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    bench.step();
    ms.push(performance.now() - t0);
  }
  const result: Result = {
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
  budgetS: number,
): Promise<{ out: string; err: string; timedOut: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

async function measure(
  kind: 'torch' | 'default' | 'cpu',
  name: string,
  steps: number,
  warmup: number,
  budgetS: number,
  python: string,
): Promise<Result> {
  const here = fileURLToPath(import.meta.url);
  const r =
    kind === 'torch'
      ? await runProcess(
          python,
          [here.replace(/run\.ts$/, 'peer.py'), '--bench', name, '--steps', String(steps), '--warmup', String(warmup)],
          budgetS,
        )
      : await runProcess(
          process.execPath,
          [
            ...process.execArgv,
            here,
            '--child',
            kind,
            '--bench',
            name,
            '--steps',
            String(steps),
            '--warmup',
            String(warmup),
          ],
          budgetS,
        );
  const line = r.out.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as Result & { name: string };
    return { ...parsed, backend: parsed.backend ?? 'torch' };
  } catch {
    const why = r.timedOut
      ? `over ${budgetS} s budget`
      : `failed (exit ${r.code}): ${r.err.trim().split('\n').slice(-3).join(' | ')}`;
    return { name, backend: kind, params: 0, ms: [], peak_rss_mb: 0, error: why };
  }
}

async function main(): Promise<void> {
  const names = arg('bench', Object.keys(BENCHES).join(',')).split(',');
  const steps = Number(arg('steps', '10'));
  const warmup = Number(arg('warmup', '2'));
  const childKind = arg('child', '');
  if (childKind) {
    await child(childKind, names[0] as string, steps, warmup);
    return;
  }
  const cpuBudget = Number(arg('cpu-budget', '180'));
  const python = arg('python', '/usr/bin/python3');
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const name of names) {
    const torch = await measure('torch', name, steps, warmup, 0, python);
    const ours = await measure('default', name, steps, warmup, 0, python);
    const cpu = cpuBudget > 0 ? await measure('cpu', name, 1, 0, cpuBudget, python) : undefined;
    const t = median(torch.ms);
    const o = median(ours.ms);
    const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
    rows.push([
      name,
      `${ours.params} / ${torch.params}`,
      ours.backend,
      fmt(o),
      fmt(t),
      Number.isFinite(o / t) ? (o / t).toFixed(2) : '-',
      cpu ? (cpu.error ? `>${cpuBudget * 1000}` : fmt(median(cpu.ms))) : 'skipped',
      `${fmt(ours.peak_rss_mb)} / ${fmt(torch.peak_rss_mb)}`,
      ours.tensors_before !== undefined ? `${ours.tensors_before} -> ${ours.tensors_after}` : '-',
    ]);
    for (const r of [torch, ours, cpu]) if (r?.error && r !== cpu) notes.push(`${name} ${r.backend}: ${r.error}`);
    process.stderr.write(`${name}: ours ${fmt(o)} ms (${ours.backend}), torch ${fmt(t)} ms\n`);
  }
  const head = [
    'benchmark',
    'params (ours / torch)',
    'backend',
    'ms/step ours',
    'ms/step torch',
    'ratio',
    'ms/step tfjs cpu (1 step)',
    'peak RSS MB (ours / torch)',
    `tensors over ${steps} steps`,
  ];
  const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  process.stdout.write(
    `\nmedian of ${steps} steps after ${warmup} warm-up steps; torch ${python} with 2 threads\n\n${table}\n`,
  );
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
}

await main();
