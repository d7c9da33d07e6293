import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../errors.js';
import type { SkipPolicy } from '../read-samples.js';
import { allocSamples, type ReaderSpec, type SampleLayout, sampleLength } from '../sample-reader.js';
import { type BatchLoader, type BatchRequest, type RawBatch, slotSeeds } from '../streaming-dataset.js';
import { type FromWorker, fromWire, type ToWorker, type WorkerInit } from './worker-protocol.js';

/** Options of a {@link WorkerBatchLoader}. */
export interface WorkerPoolOptions extends SkipPolicy {
  /** Data worker threads. Default {@link defaultWorkerCount}. */
  workers?: number;
  /** Where the samples come from, for messages. */
  source?: string;
}

/** Default number of data workers: one fewer than the CPUs (the training thread keeps one), 1 to 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Chunk {
  readonly resolve: (m: Extract<FromWorker, { type: 'done' }>) => void;
  readonly reject: (err: Error) => void;
}

/** One worker thread and the requests it owes. */
class DataWorker {
  readonly pending = new Map<number, Chunk>();
  ready: Promise<{ size: number; layout: SampleLayout }>;
  private failure: Error | undefined;
  private closing = false;
  private exited: Promise<void>;

  constructor(readonly worker: Worker) {
    let ok!: (v: { size: number; layout: SampleLayout }) => void;
    let bad!: (e: Error) => void;
    this.ready = new Promise((a, b) => {
      ok = a;
      bad = b;
    });
    this.ready.catch(() => undefined);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') ok({ size: m.size, layout: m.layout });
      else if (m.type === 'init-failed') bad(fromWire(m.error));
      else if (m.type === 'done' || m.type === 'failed') {
        const c = this.pending.get(m.id);
        if (!c) return;
        this.pending.delete(m.id);
        this.updateRef();
        if (m.type === 'done') c.resolve(m);
        else c.reject(fromWire(m.error));
      }
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      bad(err);
      for (const c of this.pending.values()) c.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`data worker failed: ${err.message}`, { cause: err })));
    this.exited = new Promise((done) => {
      worker.once('exit', (code) => {
        if (!this.closing) fail(new Error(`data worker exited unexpectedly (exit code ${code})`));
        done();
      });
    });
  }

  send(m: ToWorker, id: number, chunk: Chunk, transfer: ArrayBuffer[]): void {
    if (this.failure) {
      chunk.reject(this.failure);
      return;
    }
    this.pending.set(id, chunk);
    this.updateRef();
    this.worker.postMessage(m, transfer);
  }

  /** A worker keeps the process alive only while it owes an answer. */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    this.worker.ref();
    if (!this.failure) {
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      await this.exited;
      clearTimeout(timer);
    } else {
      await this.worker.terminate();
    }
  }
}

/** How to start a worker on `entry`: plain, or through tsx when TypeScript must be loaded. */
function workerArgs(entry: URL, spec: ReaderSpec<unknown>, init: WorkerInit): ConstructorParameters<typeof Worker> {
  const isTs = (u: string) => /\.[mc]?ts$/.test(new URL(u).pathname);
  if (!isTs(entry.href) && !isTs(spec.module)) return [entry, { workerData: init }];
  // Running from TypeScript sources (tests, `--conditions=source`), or a reader written in
  // TypeScript: register tsx inside the worker before loading it. Node 20 ignores `--import`
  // in a worker's execArgv, hence the small bootstrap.
  let tsx: string;
  try {
    const req = createRequire(import.meta.url);
    const pkg = req.resolve('tsx/package.json');
    const exportsMap = JSON.parse(readFileSync(pkg, 'utf8')).exports as Record<string, { import: { default: string } }>;
    tsx = new URL(exportsMap['./esm/api']!.import.default, pathToFileURL(pkg)).href;
  } catch (err) {
    throw new ConfigError(`a TypeScript reader module (${spec.module}) needs the tsx package installed`, {
      field: 'reader.module',
      cause: err,
    });
  }
  const bootstrap =
    "const { workerData } = require('node:worker_threads');" +
    'import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); });';
  return [
    bootstrap,
    {
      eval: true,
      workerData: { ...init, tsx, entry: entry.href },
      ...(isTs(entry.href) ? { execArgv: ['--conditions=source'] } : {}),
    },
  ];
}

/**
 * A pool of `node:worker_threads` data workers, each holding one reader built from a
 * {@link ReaderSpec}. A batch read ahead (`load(request, true)`, a prefetch) goes whole to the
 * least-loaded worker, so each worker reads batches of its own, as PyTorch's DataLoader workers
 * do, and returns it as one transferred typed array, which becomes the batch without a copy. A
 * batch wanted now (the first one, a read with nothing ahead) is split into contiguous chunks,
 * one per idle worker, read in parallel and joined into one array on this thread.
 *
 * Why whole batches: on the sandboxed VMs this project runs on, first-touch page faults of fresh
 * memory cost 15-20 ns per float (backend-native's buffer-pool.ts), so a joined batch paid for
 * its memory twice, the second time on the training thread: 20-40 ms of its CPU per batch of
 * 256 images of 64x64x3 (at load average 7-12), which held two workers back to the speed of one
 * (`npm run bench:data`, README "Image folders"). Workers answer their requests in order. Workers
 * keep the process alive only while they owe an answer, so a forgotten `close()` does not hang the
 * program. Node-only.
 */
export class WorkerBatchLoader implements BatchLoader {
  private nextId = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly workers: DataWorker[],
    readonly size: number,
    readonly layout: SampleLayout,
    readonly source: string | undefined,
  ) {}

  /** Starts the workers and waits until every one has built its reader (or one failed). */
  static async open(spec: ReaderSpec<unknown>, options: WorkerPoolOptions = {}): Promise<WorkerBatchLoader> {
    const count = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(count) || count < 1) {
      throw new ConfigError(`expected an integer >= 1, got ${count}`, { field: 'workers' });
    }
    const ext = fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js';
    const entry = new URL(`./sample-worker${ext}`, import.meta.url);
    const init: WorkerInit = {
      spec,
      policy: { strict: options.strict, maxConsecutiveSkips: options.maxConsecutiveSkips },
    };
    const args = workerArgs(entry, spec, init);
    const workers = Array.from({ length: count }, () => new DataWorker(new Worker(...args)));
    try {
      const infos = await Promise.all(workers.map((w) => w.ready));
      const { size, layout } = infos[0]!;
      if (infos.some((i) => i.size !== size || JSON.stringify(i.layout) !== JSON.stringify(layout))) {
        throw new ConfigError(`${spec.module}: readers built from the same config disagree on size or layout`);
      }
      for (const w of workers) w.worker.unref();
      return new WorkerBatchLoader(workers, size, layout, options.source);
    } catch (err) {
      await Promise.all(workers.map((w) => w.close()));
      throw err;
    }
  }

  /** Number of worker threads. */
  get workerCount(): number {
    return this.workers.length;
  }

  async load(request: BatchRequest, ahead = false): Promise<RawBatch> {
    if (this.closing) throw new ConfigError('the data source is closed');
    const n = request.indices.length;
    const seeds = request.seed === undefined ? undefined : slotSeeds(request.seed, n);
    // Least-loaded workers first, so a request is not queued behind another's chunks needlessly.
    const order = [...this.workers].sort((a, b) => a.pending.size - b.pending.size);
    // A batch read ahead goes whole to one worker, and its array becomes the batch as it arrives:
    // joining chunks costs a fresh batch-sized array on this thread (see the class comment). A
    // batch wanted now is split across the idle workers, for the shortest wait.
    const idle = ahead ? 1 : order.filter((w) => w.pending.size === 0).length;
    const parts = Math.max(1, Math.min(idle, n));
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * n) / parts));
    const chunks = await Promise.all(
      Array.from({ length: parts }, (_, k) => {
        const indices = Int32Array.from(request.indices.slice(bounds[k], bounds[k + 1]));
        const s = seeds ? seeds.slice(bounds[k], bounds[k + 1]) : null;
        const id = this.nextId++;
        return new Promise<Extract<FromWorker, { type: 'done' }>>((resolve, reject) =>
          order[k]!.send({ type: 'read', id, indices, seeds: s }, id, { resolve, reject }, [
            indices.buffer,
            ...(s ? [s.buffer] : []),
          ]),
        );
      }),
    );
    if (chunks.length === 1) {
      const c = chunks[0]!;
      return { data: c.data, used: c.used, skips: c.skips };
    }
    const len = sampleLength(this.layout);
    const data = allocSamples(this.layout, n);
    const used = new Int32Array(n);
    chunks.forEach((c, k) => {
      data.set(c.data, bounds[k]! * len);
      used.set(c.used, bounds[k]!);
    });
    return { data, used, skips: chunks.flatMap((c) => c.skips) };
  }

  /** Asks each worker to close its reader and waits for the threads to end. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.workers.map((w) => w.close())).then(() => undefined);
    return this.closing;
  }
}
