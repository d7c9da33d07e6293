import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { DataFormatError } from '../errors.js';
import { embedDataset } from '../eval/embed-dataset.js';
import { embeddingSample } from '../report/embedding-sample.js';
import { DataOrder } from '../trainer/data-order.js';
import { batchRequest, loadStreamedBatch } from '../trainer/next-batch.js';
import { chooseDataMode, parseDataMode, STREAM_THRESHOLD_BYTES } from './data-mode.js';
import type { TensorDataset } from './dataset.js';
import { InlineBatchLoader } from './inline-batch-loader.js';
import { indexFloat32Files } from './node/float32-files-reader.js';
import { openDataset } from './node/open-dataset.js';
import { WorkerBatchLoader } from './node/worker-pool.js';
import { ReaderDataset } from './reader-dataset.js';
import type { ReaderSpec } from './sample-reader.js';
import {
  type BatchLoader,
  type BatchRequest,
  isStreaming,
  type StreamingDataset,
  slotSeeds,
} from './streaming-dataset.js';
import { type SyntheticConfig, syntheticValue } from './test-support/synthetic-reader.js';

const READER = new URL('./test-support/synthetic-reader.ts', import.meta.url).href;
const synthetic = (config: SyntheticConfig): ReaderSpec<SyntheticConfig> => ({ module: READER, config });
const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A loader that records the requests it is asked for, around a real one. */
function recording(inner: BatchLoader): BatchLoader & { log: BatchRequest[] } {
  const log: BatchRequest[] = [];
  return {
    log,
    size: inner.size,
    layout: inner.layout,
    load: (r) => {
      log.push(r);
      return inner.load(r);
    },
    close: () => inner.close(),
  };
}

describe('streaming data: workers, prefetch, skips', () => {
  let dir: string;
  let savedCache: string | undefined;
  beforeAll(async () => {
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir = await mkdtemp(join(repo, 'tmp', 'streaming-'));
    savedCache = env.cacheDir;
    env.cacheDir = join(dir, 'cache');
  });
  afterAll(async () => {
    env.cacheDir = savedCache;
    await rm(dir, { recursive: true, force: true });
  });

  it('the worker pool returns the inline reader values for any worker count, seeded or not, split or read ahead whole', async () => {
    const config = { size: 40, shape: [3, 2] };
    const inline = await InlineBatchLoader.open(synthetic(config));
    const requests: BatchRequest[] = [
      { indices: [5, 0, 39, 7, 7, 12, 1] },
      { indices: [3, 2, 1], seed: 12345 },
      { indices: [9], seed: 7 },
    ];
    const want = await Promise.all(requests.map((r) => inline.load(r)));
    for (const workers of [1, 3]) {
      const pool = await WorkerBatchLoader.open(synthetic(config), { workers });
      try {
        expect(pool.workerCount).toBe(workers);
        expect(pool.size).toBe(40);
        expect(pool.layout).toEqual({ shape: [3, 2], dtype: 'float32' });
        // Wanted now (split across the idle workers), then read ahead (each batch whole to one worker).
        for (const ahead of [false, true]) {
          const got = await Promise.all(requests.map((r) => pool.load(r, ahead)));
          got.forEach((g, k) => {
            expect(Array.from(g.data)).toEqual(Array.from(want[k]!.data));
            expect(Array.from(g.used)).toEqual(requests[k]!.indices);
          });
        }
      } finally {
        await pool.close();
      }
    }
    // The values say which sample and which seed were read.
    expect(want[0]!.data[6 * 2]).toBe(syntheticValue(39, 0));
    expect(want[1]!.data[0]).not.toBe(syntheticValue(3, 0));
    await inline.close();
  });

  it('reads ahead exactly the announced batches, in order, and drops a wrong forecast', async () => {
    const loader = recording(await InlineBatchLoader.open(synthetic({ size: 100, shape: [2] })));
    const ds = new ReaderDataset({ loader, prefetch: 2 });
    const req = (i: number): BatchRequest => ({ indices: [i, i + 1], seed: i });
    const keys = () => loader.log.map((r) => r.indices[0]);
    tf.dispose(await ds.loadBatch(req(0), [req(10), req(20), req(30)]));
    expect(keys()).toEqual([0, 10, 20]); // the batch, then two ahead (depth 2)
    tf.dispose(await ds.loadBatch(req(10), [req(20), req(30), req(40)]));
    expect(keys()).toEqual([0, 10, 20, 30]); // 10 and 20 were ready: only 30 is new
    const b = await ds.loadBatch(req(50), [req(60)]); // not the forecast: read now, forecast replaced
    expect(keys()).toEqual([0, 10, 20, 30, 50, 60]);
    const seeds = slotSeeds(50, 2);
    expect(Array.from(b.dataSync())).toEqual(
      [0, 1, 2, 3].map((k) => Math.fround(syntheticValue(50 + (k >> 1), k % 2, seeds[k >> 1]))),
    );
    b.dispose();
    await ds.close();
    await expect(ds.loadBatch(req(0))).rejects.toThrow(/closed/);
  });

  it('streams the data order bit-identically to the in-memory dataset, across epoch ends and worker counts', async () => {
    const root = join(dir, 'records');
    await mkdir(root, { recursive: true });
    // 3 files of 17, 0 and 30 records of [4, 3]: uneven files, one empty.
    const counts = [17, 0, 30];
    let v = 0;
    for (const [f, n] of counts.entries()) {
      const a = new Float32Array(n * 12).map(() => Math.sin(v++) * 1e3);
      await writeFile(join(root, `part-${f}.f32`), new Uint8Array(a.buffer));
    }
    const { spec, size } = await indexFloat32Files(root, [4, 3]);
    expect(size).toBe(47);
    const memory = await openDataset({ reader: spec, mode: 'memory', workers: 2 });
    expect(isStreaming(memory)).toBe(false);
    const order = new DataOrder(size, 8, 11); // 5 steps per epoch
    for (const [workers, prefetch] of [
      [2, 3],
      [1, 0],
    ] as const) {
      const stream = await openDataset({ reader: spec, mode: 'stream', workers, prefetch });
      if (!isStreaming(stream)) throw new Error('expected a streaming dataset');
      const before = tf.memory().numTensors;
      for (let step = 0; step < 13; step++) {
        const epoch = Math.floor(step / order.stepsPerEpoch);
        const cursor = step % order.stepsPerEpoch;
        const s = await loadStreamedBatch(stream, order, epoch, cursor, 13 - step);
        const m = (memory as TensorDataset).getBatch(order.batchIndices(epoch, cursor));
        expect(s.shape).toEqual([8, 4, 3]);
        expect(s.dtype).toBe('float32');
        expect(Buffer.from((await s.data()).buffer)).toEqual(Buffer.from((await m.data()).buffer));
        tf.dispose([s, m]);
      }
      expect(tf.memory().numTensors).toBe(before);
      // Embedding streams too, in order, with the same values as in memory and no tensor left behind.
      const embed = (x: tf.Tensor) => tf.tidy(() => x.reshape([x.shape[0]!, 12]).slice([0, 0], [-1, 5])) as tf.Tensor2D;
      const zs = await embedDataset(embed, stream, 10);
      const zm = embedDataset(embed, memory as TensorDataset, 10);
      expect(Array.from(zs.dataSync())).toEqual(Array.from(zm.dataSync()));
      tf.dispose([zs, zm]);
      const sample = await embeddingSample(embed, stream, { limit: 9 });
      expect(Array.from(sample.values)).toEqual(
        Array.from(embeddingSample(embed, memory as TensorDataset, { limit: 9 }).values),
      );
      expect(tf.memory().numTensors).toBe(before);
      await stream.close();
    }
    memory.dispose?.();
  });

  it('a training draw depends on the data position only, so a resumed read sees the same values', async () => {
    const loader = await InlineBatchLoader.open(synthetic({ size: 30, shape: [2] }));
    const ds = new ReaderDataset({ loader, prefetch: 1 });
    const order = new DataOrder(30, 4, 5);
    const read = async (epoch: number, cursor: number) => {
      const t = await loadStreamedBatch(ds, order, epoch, cursor, 2);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const straight = [await read(0, 6), await read(1, 0), await read(1, 1)];
    // A fresh dataset ("after a restart") asked for the same positions reads the same values.
    const ds2 = new ReaderDataset({ loader: await InlineBatchLoader.open(synthetic({ size: 30, shape: [2] })) });
    const t = await loadStreamedBatch(ds2, order, 1, 0, 1);
    expect(Array.from(t.dataSync())).toEqual(straight[1]);
    t.dispose();
    // Seeds differ between positions, and the indices are the data order's.
    expect(batchRequest(order, 1, 0).seed).not.toBe(batchRequest(order, 1, 1).seed);
    expect(batchRequest(order, 1, 0).indices).toEqual(order.batchIndices(1, 0));
    const first = order.batchIndices(1, 0)[0]!;
    expect(Math.floor(straight[1]![0]! / 1000)).toBe(first);
    await ds.close();
    await ds2.close();
  });

  it('skips a bad sample, counts it once and replaces it with the next readable index', async () => {
    const skipped: string[] = [];
    const ds = await openDataset({
      reader: synthetic({ size: 20, shape: [2], bad: [4, 5], broken: [19] }),
      mode: 'stream',
      workers: 2,
      onSkip: (s) => skipped.push(s.message),
    });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    const a = await ds.loadBatch({ indices: [4, 3, 19, 5] });
    expect(a.shape).toEqual([4, 2]);
    // 4 and 5 are bad: both become 6; 19 wraps to 0.
    expect(Array.from(a.dataSync())).toEqual([6, 3, 0, 6].flatMap((i) => [syntheticValue(i, 0), syntheticValue(i, 1)]));
    a.dispose();
    tf.dispose(await ds.loadBatch({ indices: [5, 4] }));
    expect(ds.skipped.map((s) => s.index).sort((x, y) => x - y)).toEqual([4, 5, 19]);
    expect(skipped).toHaveLength(3);
    expect(skipped).toContain('synthetic/4.bin: truncated header');
    expect(skipped).toContain('synthetic/19.bin: something odd'); // one line, named by describe()
    await ds.close();
  });

  it('a reader with several reads in flight gives the values, replacements and skips of one at a time', async () => {
    const config = { size: 30, shape: [3], bad: [4, 5, 9, 12], broken: [29] };
    const one = await InlineBatchLoader.open(synthetic(config));
    const many = await InlineBatchLoader.open(synthetic({ ...config, concurrency: 4 }));
    // 4 and 5 are bad and both become 6 (4's scan meets 5, a later slot's wanted index, first);
    // 9 and 12 are bad, met again in a later batch (tried once); 29 is a plain error and wraps to 0.
    for (const request of [
      { indices: [11, 4, 12, 3, 29, 5, 8, 9, 13, 0] },
      { indices: [12, 11, 9, 4], seed: 77 },
      { indices: [21, 22, 23, 24, 25, 26, 27, 28, 1, 2] },
    ]) {
      const a = await one.load(request);
      const b = await many.load(request);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
      expect(Array.from(b.used)).toEqual(Array.from(a.used));
      expect(b.skips).toEqual(a.skips);
    }
    const strictOne = await InlineBatchLoader.open(synthetic(config), { strict: true });
    const strictMany = await InlineBatchLoader.open(synthetic({ ...config, concurrency: 4 }), { strict: true });
    const e1 = await strictOne.load({ indices: [1, 9, 4] }).catch((e: unknown) => e);
    const e2 = await strictMany.load({ indices: [1, 9, 4] }).catch((e: unknown) => e);
    expect((e2 as Error).message).toBe((e1 as Error).message);
    expect((e2 as Error).message).toBe('synthetic/9.bin: truncated header');
    await Promise.all([one, many, strictOne, strictMany].map((l) => l.close()));
  });

  it('strict: the first bad sample fails the batch with a one-line DataFormatError naming the file', async () => {
    const ds = await openDataset({
      reader: synthetic({ size: 10, shape: [1], bad: [7] }),
      mode: 'stream',
      workers: 1,
      strict: true,
    });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    const err = await ds.loadBatch({ indices: [1, 7] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).message).toBe('synthetic/7.bin: truncated header');
    expect((err as DataFormatError).file).toBe('synthetic/7.bin');
    tf.dispose(await ds.loadBatch({ indices: [1, 2] })); // the pool still works
    await ds.close();
    // A source with no readable sample at all gives up with a message, not a hang.
    const none = await InlineBatchLoader.open(synthetic({ size: 3, shape: [1], bad: [0, 1, 2] }));
    await expect(none.load({ indices: [0] })).rejects.toThrow(/no readable sample in 3 consecutive indices from 0/);
  });

  it('reports a reader that cannot start, and a worker that dies, as errors (no hang)', async () => {
    await expect(
      WorkerBatchLoader.open(synthetic({ size: 1, shape: [1], initError: 'bad config' }), { workers: 2 }),
    ).rejects.toThrow('synthetic/config: bad config');
    await expect(
      WorkerBatchLoader.open({ module: READER, exportName: 'nope', config: {} }, { workers: 1 }),
    ).rejects.toThrow(/does not export a function 'nope'/);
    const pool = await WorkerBatchLoader.open(synthetic({ size: 10, shape: [1], exitAt: 3 }), { workers: 1 });
    await expect(pool.load({ indices: [3] })).rejects.toThrow(/data worker exited unexpectedly/);
    await expect(pool.load({ indices: [1] })).rejects.toThrow(/data worker exited unexpectedly/);
    await pool.close();
  });

  it('auto mode keeps small sets in memory and streams large ones; forced modes win', async () => {
    expect(STREAM_THRESHOLD_BYTES).toBe(2 ** 30);
    expect(chooseDataMode('auto', 2 ** 30)).toBe('memory');
    expect(chooseDataMode('auto', 2 ** 30 + 1)).toBe('stream');
    expect(chooseDataMode('memory', 2 ** 40)).toBe('memory');
    expect(chooseDataMode('stream', 1)).toBe('stream');
    expect(parseDataMode(undefined)).toBe('auto');
    expect(() => parseDataMode('disk')).toThrow("--data-mode: expected one of auto, memory, stream, got 'disk'");
    const spec = synthetic({ size: 50, shape: [4] }); // 800 bytes decoded
    const small = await openDataset({ reader: spec, workers: 1 });
    expect(isStreaming(small)).toBe(false);
    small.dispose?.();
    const large = await openDataset({ reader: spec, workers: 1, threshold: 799 });
    expect(isStreaming(large)).toBe(true);
    await (large as StreamingDataset<tf.Tensor>).close();
  });
});
