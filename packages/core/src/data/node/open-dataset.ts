import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors.js';
import { ArrayDataset } from '../array-dataset.js';
import { chooseDataMode, type DataMode } from '../data-mode.js';
import { type Dataset, TensorDataset } from '../dataset.js';
import { InlineBatchLoader } from '../inline-batch-loader.js';
import type { SkipPolicy } from '../read-samples.js';
import { ReaderDataset, type ReaderDatasetOptions } from '../reader-dataset.js';
import { allocSamples, type ReaderSpec, sampleLength } from '../sample-reader.js';
import type { AnyDataset, BatchLoader } from '../streaming-dataset.js';
import { WorkerBatchLoader } from './worker-pool.js';

/**
 * Options of {@link openDataset}; `prefetch`, `labels`, `classNames`, `source`, `assemble`,
 * `sampleShape` and `onSkip` as a {@link ReaderDataset}'s.
 */
export interface OpenDatasetOptions<B> extends SkipPolicy, Omit<ReaderDatasetOptions<B>, 'loader'> {
  /** The reader module and its JSON config. */
  reader: ReaderSpec<unknown>;
  /** `auto` (default): memory up to `threshold` decoded bytes, else stream. */
  mode?: DataMode;
  /** Decoded-size threshold of `auto`, in bytes. Default `STREAM_THRESHOLD_BYTES` (1 GiB). */
  threshold?: number;
  /** Data worker threads; 0 reads on this thread. Default `defaultWorkerCount()`. */
  workers?: number;
  /** Messages (which mode was chosen, progress of an in-memory load). */
  say?: (line: string) => void;
}

/** Samples read per request when loading a whole set into memory. */
const LOAD_CHUNK = 1024;

/**
 * A dataset over the samples a reader gives: in memory (every sample read once, through the
 * workers, into one tensor) or streaming (a {@link ReaderDataset} reading ahead of the step),
 * chosen by decoded size (`mode: 'auto'`) or forced. Both are addressed by index and give the
 * same values for the same indices, bit for bit, so the choice changes speed and memory, never
 * the run. Node-only (the worker pool).
 */
export async function openDataset<B = tf.Tensor>(options: OpenDatasetOptions<B>): Promise<AnyDataset<B>> {
  const workers = options.workers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new ConfigError(`expected an integer >= 0, got ${workers}`, { field: 'workers' });
  }
  const policy: SkipPolicy = { strict: options.strict, maxConsecutiveSkips: options.maxConsecutiveSkips };
  const loader: BatchLoader =
    workers === 0
      ? await InlineBatchLoader.open(options.reader, policy, options.source)
      : await WorkerBatchLoader.open(options.reader, { ...policy, workers, source: options.source });
  try {
    const bytes = loader.size * sampleLength(loader.layout) * 4;
    const mode = chooseDataMode(options.mode ?? 'auto', bytes, options.threshold);
    const gib = (bytes / 2 ** 30).toFixed(2);
    options.say?.(
      `${loader.size} samples of [${loader.layout.shape.join('x')}], ${gib} GiB decoded: ${mode === 'memory' ? 'in memory' : 'streamed from disk'}`,
    );
    if (mode === 'stream') {
      return new ReaderDataset<B>({
        loader,
        prefetch: options.prefetch,
        labels: options.labels,
        classNames: options.classNames,
        source: options.source,
        assemble: options.assemble,
        sampleShape: options.sampleShape,
        onSkip: options.onSkip,
      });
    }
    const data = allocSamples(loader.layout, loader.size);
    const used = new Int32Array(loader.size);
    const len = sampleLength(loader.layout);
    const seen = new Set<number>();
    let replaced = false;
    const chunk = (start: number) =>
      Array.from({ length: Math.min(LOAD_CHUNK, loader.size - start) }, (_, k) => start + k);
    // One request in flight ahead of the one being copied, so the workers never wait.
    let next = loader.size > 0 ? loader.load({ indices: chunk(0) }) : undefined;
    for (let start = 0; start < loader.size; start += LOAD_CHUNK) {
      const indices = chunk(start);
      const raw = await next!;
      next = start + LOAD_CHUNK < loader.size ? loader.load({ indices: chunk(start + LOAD_CHUNK) }) : undefined;
      data.set(raw.data, start * len);
      used.set(raw.used, start);
      for (const s of raw.skips) {
        if (seen.has(s.index)) continue;
        seen.add(s.index);
        options.onSkip?.(s);
      }
      replaced ||= raw.used.some((u, k) => u !== indices[k]);
    }
    await loader.close();
    if (options.labels && options.labels.length !== loader.size) {
      throw new ConfigError(`${options.labels.length} labels for ${loader.size} samples`, { field: 'labels' });
    }
    if (options.assemble) {
      return new ArrayDataset<B>(
        data,
        loader.layout,
        options.assemble,
        options.labels,
        options.classNames,
        options.source,
        replaced ? used : undefined,
        options.sampleShape,
      );
    }
    const x = tf.tensor(data, [loader.size, ...loader.layout.shape], loader.layout.dtype);
    return new TensorDataset(x, options.labels, options.classNames, options.source) as unknown as Dataset<B>;
  } catch (err) {
    await loader.close();
    throw err;
  }
}
