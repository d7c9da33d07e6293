/**
 * One library step under the speed bench's control (spawned by run.ts; the PyTorch peer
 * library_peer.py speaks the same protocol). Builds the method and the Trainer as the CLI does,
 * then runs the training loop in blocks: it prints `{"ready": ...}`, and for every `run N` line
 * on stdin trains N steps and prints their wall and CPU times and the live tensor count
 * `{"ms": [...], "cpu_ms": [...], "tensors": n}`; `quit` prints the peak RSS and
 * ends the run. Between blocks the Trainer waits inside its step callback, so
 * the steps of all blocks are steps of one `fit`, and the PyTorch peer can run its block while
 * this process waits (the two alternate, so load on the machine slows both alike).
 *
 * With several names (`--bench a,b`) it serves them one after the other in this process.
 *
 *   node --conditions=source --import tsx tools/bench/speed/library-child.ts --bench simclr [--tiny]
 */
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { initBackend, Trainer, type TrainerOptions } from '@autodidact/core';
import { batchSizeOf, buildMethod, libraryStep, syntheticData } from './library-steps.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const send = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function command(): Promise<{ kind: 'run'; steps: number } | { kind: 'quit' }> {
  const next = await lines.next();
  const line = next.done ? 'quit' : String(next.value).trim();
  const m = /^run (\d+)$/.exec(line);
  return m ? { kind: 'run', steps: Number(m[1]) } : { kind: 'quit' };
}

const tiny = process.argv.includes('--tiny');
const backend = await initBackend({ quiet: true });

/** Builds one step, answers its `run N` commands, and returns after its `quit`. */
async function serve(name: string): Promise<void> {
  const step = libraryStep(name);
  const { method, trainerDefaults } = await buildMethod(step);
  const batchSize = batchSizeOf(step, trainerDefaults, tiny);
  const data = await syntheticData(step, batchSize * 4);
  const params = [...method.trainableVariables().values()].reduce((n, v) => n + v.size, 0);
  let remaining = 0;
  let times: number[] = [];
  let cpuTimes: number[] = [];
  let last = 0;
  let lastCpu = process.cpuUsage();
  const next = async () => {
    const c = await command();
    if (c.kind === 'quit') trainer.stop('quit');
    else remaining = c.steps;
    last = performance.now();
    lastCpu = process.cpuUsage();
  };
  const trainer = new Trainer(
    method,
    {
      ...(trainerDefaults as Partial<TrainerOptions>),
      batchSize,
      // The loop runs until `quit`; the schedule sees a long run, as a real one would.
      steps: 1_000_000,
      quiet: true,
    },
    [
      {
        onTrainStart: next,
        onStepEnd: async () => {
          times.push(performance.now() - last);
          const cpu = process.cpuUsage(lastCpu);
          cpuTimes.push((cpu.user + cpu.system) / 1000);
          if (--remaining > 0) {
            last = performance.now();
            lastCpu = process.cpuUsage();
            return;
          }
          send({ ms: times, cpu_ms: cpuTimes, tensors: tf.memory().numTensors });
          times = [];
          cpuTimes = [];
          await next();
        },
      },
    ],
  );
  send({
    ready: true,
    name: step.name,
    backend: backend.name,
    batch_size: batchSize,
    params,
    threads: process.env.OPENBLAS_NUM_THREADS ?? 'unset',
  });
  await trainer.fit(data);
  trainer.optimizer?.dispose();
  method.dispose();
  data.dispose?.();
  send({ done: true, peak_rss_mb: process.resourceUsage().maxRSS / 1024 });
}

// Several names (--tiny runs all steps in one process): one after the other, peak RSS cumulative.
for (const name of arg('bench', 'simclr').split(',')) await serve(name);
process.exit(0);
