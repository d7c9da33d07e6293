import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { PrefetchQueue } from './prefetch-queue.js';
import type { SkipRecord } from './read-samples.js';
import type { SampleLayout } from './sample-reader.js';
import type { BatchLoader, BatchRequest, RawBatch, StreamingDataset } from './streaming-dataset.js';

/** Turns a raw batch into what the method consumes. Runs on the training thread. */
export type AssembleBatch<B> = (raw: RawBatch, layout: SampleLayout, labels: Int32Array | undefined) => B;

/** Options of a {@link ReaderDataset}. */
export interface ReaderDatasetOptions<B> {
  /** Reads the batches (a worker pool, or `InlineBatchLoader`). The dataset closes it. */
  loader: BatchLoader;
  /** Batches read ahead of the one in use. Default 2. */
  prefetch?: number;
  /** Label per sample (index-aligned), when the source is labelled. */
  labels?: Int32Array;
  classNames?: readonly string[];
  source?: string;
  /** Builds the batch; default one tensor `[n, ...layout.shape]` of the layout's dtype. */
  assemble?: AssembleBatch<B>;
  /**
   * One sample's shape as the method sees it, when `assemble` makes something other than the
   * layout (e.g. an image and its partner read as one row, the image being the sample). Default
   * the layout's shape.
   */
  sampleShape?: readonly number[];
  /** Called once per unreadable sample, when it is first met (e.g. to print a warning). */
  onSkip?: (skip: SkipRecord) => void;
}

/** Default prefetch depth: batches read ahead of the one the step uses. */
export const DEFAULT_PREFETCH = 2;

/** The default batch: one tensor `[n, ...shape]` over the raw values (bit for bit). */
export function tensorBatch(raw: RawBatch, layout: SampleLayout): tf.Tensor {
  return tf.tensor(raw.data, [raw.used.length, ...layout.shape], layout.dtype);
}

/**
 * A streaming dataset over a {@link BatchLoader}: batches are read ahead by the loader's
 * workers through a {@link PrefetchQueue} and become tensors on this (the training) thread
 * only when asked for. Portable: the Node worker pool is plugged in as the loader.
 */
export class ReaderDataset<B = tf.Tensor> implements StreamingDataset<B> {
  readonly streaming = true as const;
  readonly size: number;
  readonly prefetch: number;
  readonly layout: SampleLayout;
  readonly sampleShape: readonly number[];
  readonly labels?: Int32Array;
  readonly classNames?: readonly string[];
  readonly source?: string;
  private readonly loader: BatchLoader;
  private readonly queue: PrefetchQueue;
  private readonly assemble: AssembleBatch<B>;
  private readonly onSkip?: (skip: SkipRecord) => void;
  private readonly skips = new Map<number, SkipRecord>();
  private closing: Promise<void> | undefined;

  constructor(options: ReaderDatasetOptions<B>) {
    const depth = options.prefetch ?? DEFAULT_PREFETCH;
    if (!Number.isInteger(depth) || depth < 0) {
      throw new ConfigError(`expected an integer >= 0, got ${depth}`, { field: 'prefetch' });
    }
    this.loader = options.loader;
    this.size = options.loader.size;
    this.layout = options.loader.layout;
    this.sampleShape = [...(options.sampleShape ?? this.layout.shape)];
    this.prefetch = depth;
    if (options.labels && options.labels.length !== this.size) {
      throw new ConfigError(`${options.labels.length} labels for ${this.size} samples`, { field: 'labels' });
    }
    this.labels = options.labels;
    this.classNames = options.classNames;
    this.source = options.source ?? options.loader.source;
    this.assemble = options.assemble ?? (tensorBatch as unknown as AssembleBatch<B>);
    this.onSkip = options.onSkip;
    this.queue = new PrefetchQueue((r, ahead) => this.loader.load(r, ahead), depth);
  }

  /** Unreadable samples met so far, each once, in the order they were met. */
  get skipped(): readonly SkipRecord[] {
    return [...this.skips.values()];
  }

  async loadBatch(request: BatchRequest, upcoming: readonly BatchRequest[] = []): Promise<B> {
    if (this.closing) throw new ConfigError(`the data source${this.source ? ` ${this.source}` : ''} is closed`);
    const raw = await this.queue.take(request, upcoming);
    for (const s of raw.skips) {
      if (this.skips.has(s.index)) continue;
      this.skips.set(s.index, s);
      this.onSkip?.(s);
    }
    return this.assemble(raw, this.layout, this.labels);
  }

  close(): Promise<void> {
    this.queue.clear();
    this.closing ??= this.loader.close();
    return this.closing;
  }

  dispose(): void {
    this.close().catch(() => undefined);
  }
}
