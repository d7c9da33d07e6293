import type { Dataset } from './dataset.js';
import type { SkipRecord } from './read-samples.js';
import type { SampleArray, SampleLayout } from './sample-reader.js';

/**
 * The streaming side of the data contract (portable: no Node built-ins). A streaming dataset
 * is addressed by index like an in-memory {@link Dataset}, so the Trainer's seeded data order,
 * exact resume and the data position in checkpoints are the same for both; it differs in
 * handing batches out asynchronously, prepared ahead by data workers.
 */

/** One batch to read: sample indices and, for a training draw, the batch's augmentation seed. */
export interface BatchRequest {
  readonly indices: readonly number[];
  /** Seed of the batch's random draws (crops, augmentations done while reading); absent: deterministic reads. */
  readonly seed?: number;
}

/** A batch as a data worker returns it: flat values plus what was actually read. */
export interface RawBatch {
  /** `[n, ...layout.shape]`, row-major, `n = used.length`. */
  readonly data: SampleArray;
  /** The index read for each slot (a bad sample's replacement where one was needed). */
  readonly used: Int32Array;
  /** Unreadable samples met while reading this batch. */
  readonly skips: readonly SkipRecord[];
}

/** Reads batches of a sample source, e.g. on a pool of workers. */
export interface BatchLoader {
  readonly size: number;
  readonly layout: SampleLayout;
  /** Where the samples come from, for messages. */
  readonly source?: string;
  /**
   * Reads the batch of `request`. `ahead` marks a batch read ahead of its use (a prefetch), which
   * a pool may give to one worker rather than split for the shortest wait; the values are the same.
   */
  load(request: BatchRequest, ahead?: boolean): Promise<RawBatch>;
  /** Stops the workers; pending loads reject. */
  close(): Promise<void>;
}

/**
 * A dataset read from disk while training. `loadBatch` returns the batch for `request`; the
 * optional `upcoming` requests (the next batches of the data order, in order) are started
 * ahead, up to `prefetch` of them, so reading overlaps the training step. The result depends
 * only on the request, never on what was announced, so a wrong or missing forecast costs
 * time, not correctness.
 */
export interface StreamingDataset<B = unknown> {
  /** Marks the streaming kind of dataset (in-memory datasets lack it). */
  readonly streaming: true;
  readonly size: number;
  /** How many upcoming batches the dataset reads ahead (0: none). */
  readonly prefetch: number;
  loadBatch(request: BatchRequest, upcoming?: readonly BatchRequest[]): Promise<B>;
  /** Unreadable samples met so far (each index once), replaced by the next readable index. */
  readonly skipped: readonly SkipRecord[];
  readonly labels?: Int32Array;
  readonly classNames?: readonly string[];
  readonly source?: string;
  readonly sampleShape?: readonly number[];
  /** Stops the data workers and waits for them. */
  close(): Promise<void>;
  /** Stops the data workers without waiting (as `Dataset.dispose`). */
  dispose(): void;
}

/** Either kind of dataset: what the Trainer, `embedDataset` and the CLI accept. */
export type AnyDataset<B = unknown> = Dataset<B> | StreamingDataset<B>;

/** Whether `dataset` streams (has `loadBatch`) rather than building batches in memory. */
export function isStreaming<B>(dataset: AnyDataset<B>): dataset is StreamingDataset<B> {
  return (dataset as Partial<StreamingDataset<B>>).streaming === true;
}

/** The batch of `indices` from either kind of dataset, read deterministically (no training draw). */
export async function readBatch<B>(dataset: AnyDataset<B>, indices: readonly number[]): Promise<B> {
  return isStreaming(dataset) ? dataset.loadBatch({ indices }) : dataset.getBatch(indices);
}

/** Frees a dataset of either kind: disposes an in-memory one, closes (and awaits) a streaming one's workers. */
export async function closeDataset<B>(dataset: AnyDataset<B>): Promise<void> {
  if (isStreaming(dataset)) await dataset.close();
  else dataset.dispose?.();
}

/** A 32-bit mix of two words (murmur3's finaliser over a xor-multiply). */
function mix(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ Math.imul((b >>> 0) + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The augmentation seed of batch `cursor` of epoch `epoch` in a run seeded `seed`. It depends on
 * the data position only (not on the run's RNG, which workers reading ahead cannot share), so a
 * resumed run draws the same crops.
 */
export function batchSeed(seed: number, epoch: number, cursor: number): number {
  return mix(mix(seed, epoch), cursor);
}

/** Per-slot seeds of a batch seeded `seed`: slot k gets `mix(seed, k)`. */
export function slotSeeds(seed: number, n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, k) => mix(seed, k));
}
