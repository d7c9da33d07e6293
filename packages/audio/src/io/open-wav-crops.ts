/**
 * A folder of long WAV recordings as a dataset of crops (wav-crops-reader.ts), held in memory
 * when its decoded size is small (every crop read once, by the data workers) or streamed from
 * disk while training, chosen by core's `openDataset` (`auto` by decoded size, or forced with
 * `dataMode`). Both give the same values for the same index, bit for bit; streamed, a training
 * draw reads a random crop of the sample's file (seeded by the data position, so a resumed run
 * reads the same), while in memory each sample keeps its evaluation crop. Bad files (not WAV,
 * empty, truncated, changed or removed after indexing) go to the load's `BadFiles` policy: a
 * warning line and a count, the sample replaced by the next readable one (streaming) or left
 * out (in memory); with `strict`, a stop naming the file. Node-only.
 */
import { relative, sep } from 'node:path';
import {
  type AnyDataset,
  type BadFiles,
  type DataMode,
  DataFormatError,
  isStreaming,
  openDataset,
  type SkipRecord,
  TensorDataset,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { indexWavCrops } from './wav-crops-reader.js';
import { listWavFiles, type WavListing } from './wav-folder.js';

/** Options of {@link openWavCrops}. */
export interface OpenWavCropsOptions {
  /** Target rate (Hz). */
  sampleRate: number;
  /** Samples per crop at the target rate. */
  cropSamples: number;
  /** One centred clip per file instead of every crop (see `WavCropsConfig.clip`). */
  clip?: boolean;
  /** A listing made already (`listWavFiles`), so the folder is not walked twice. */
  listing?: WavListing;
  /** Require one subfolder per class. Default false. */
  requireLabels?: boolean;
  /** Index at most this many files (in sorted path order). */
  limit?: number;
  /** `auto` (default): in memory up to core's threshold of decoded bytes, else streamed. */
  dataMode?: DataMode;
  /** Decoded-size threshold of `auto`, in bytes. Default core's (1 GiB). */
  threshold?: number;
  /** Data worker threads; 0 reads on this thread. Default core's. */
  workers?: number;
  /** Batches read ahead while streaming. Default core's (2). */
  prefetch?: number;
  /** Where the index lives. Default: the per-user cache. */
  cacheDir?: string;
  /** The load's bad-file policy: skips are counted here; `strict` stops at the first. */
  badFiles: BadFiles;
  /** Notes: the index, the mode chosen. */
  log?: (line: string) => void;
}

function skipError(s: SkipRecord): DataFormatError {
  const detail = s.file && s.message.startsWith(`${s.file}: `) ? s.message.slice(s.file.length + 2) : s.message;
  return new DataFormatError(detail, { file: s.file, reason: s.reason });
}

/** Opens a folder of WAV recordings as crops (see the file comment). */
export async function openWavCrops(root: string, options: OpenWavCropsOptions): Promise<AnyDataset<tf.Tensor>> {
  const bad = options.badFiles;
  const listing =
    options.listing ?? (await listWavFiles(root, options.requireLabels, { badFiles: bad, log: options.log }));
  const n = options.limit !== undefined ? Math.min(options.limit, listing.files.length) : listing.files.length;
  const files = listing.files.slice(0, n);
  const rel = (f: string) => relative(root, f).split(sep).join('/');
  const labelOf = listing.labels ? new Map(files.map((f, i) => [rel(f), listing.labels![i]!] as const)) : undefined;
  const indexed = await indexWavCrops(root, files, {
    sampleRate: options.sampleRate,
    cropSamples: options.cropSamples,
    clip: options.clip,
    cacheDir: options.cacheDir,
    say: options.log,
  });
  const labels = labelOf
    ? Int32Array.from(indexed.fileOfSample, (f) => labelOf.get(indexed.paths[f]!) ?? 0)
    : undefined;
  bad.consider(indexed.paths.length);
  const skipped = new Set<number>();
  const ds = await openDataset<tf.Tensor>({
    reader: indexed.spec,
    mode: options.dataMode,
    threshold: options.threshold,
    workers: options.workers,
    prefetch: options.prefetch,
    labels,
    classNames: listing.classNames,
    source: root,
    strict: bad.strict,
    onSkip: (s) => {
      skipped.add(s.index);
      // One warning and one count per file, however many of its crops were met.
      if (!bad.skipped.some((b) => b.file === s.file)) bad.skip(skipError(s));
    },
    say: options.log,
  });
  if (isStreaming(ds) || skipped.size === 0) return ds;
  const mem = ds as TensorDataset;
  const keep = Array.from({ length: mem.size }, (_, i) => i).filter((i) => !skipped.has(i));
  if (keep.length === 0) {
    bad.assertAnyRead(root, 0);
  }
  const x = mem.getBatch(keep);
  const kept = new TensorDataset(
    x,
    labels ? Int32Array.from(keep, (i) => labels[i]!) : undefined,
    listing.classNames,
    root,
  );
  mem.dispose();
  return kept;
}
