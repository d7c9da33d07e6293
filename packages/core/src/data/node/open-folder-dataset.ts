/**
 * A data folder indexed by a modality's reader, opened as a dataset with the load's bad-file
 * policy: in memory or streamed ({@link openDataset}), each unreadable file a warning line and a
 * count (once per file, however many of its samples were met), or with `strict` a stop naming the
 * file. Streaming, a bad file's sample is replaced by the next readable one, so indices, the data
 * order and resume stay fixed; in memory its rows are left out, as the whole folder was read
 * already. Node-only.
 */
import type * as tf from '@tensorflow/tfjs';
import { DataFormatError } from '../../errors.js';
import type { BadFiles } from '../../io/bad-files.js';
import type { DataMode } from '../data-mode.js';
import { TensorDataset } from '../dataset.js';
import type { SkipRecord } from '../read-samples.js';
import type { ReaderSpec } from '../sample-reader.js';
import { type AnyDataset, isStreaming } from '../streaming-dataset.js';
import { openDataset } from './open-dataset.js';

/** How a folder is read: the options a modality's folder loader passes through to core. */
export interface FolderDatasetOptions {
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

/** What {@link openFolderDataset} opens: the reader over an indexed folder and its labels. */
export interface IndexedFolder {
  /** The reader module and its config. */
  reader: ReaderSpec<unknown>;
  /** How many files the index holds (counted as considered by the bad-file policy). */
  files: number;
  /** Label per sample, when the folder has class folders. */
  labels?: Int32Array;
  classNames?: readonly string[];
}

/** A skipped sample as the bad-file policy counts it: the file's own message, without the path prefix. */
function skipError(s: SkipRecord): DataFormatError {
  const detail = s.file && s.message.startsWith(`${s.file}: `) ? s.message.slice(s.file.length + 2) : s.message;
  return new DataFormatError(detail, { file: s.file, reason: s.reason });
}

/** Opens an indexed data folder `root` (see the file comment). */
export async function openFolderDataset(
  root: string,
  folder: IndexedFolder,
  options: FolderDatasetOptions,
): Promise<AnyDataset<tf.Tensor>> {
  const bad = options.badFiles;
  bad.consider(folder.files);
  const skipped = new Set<number>();
  const ds = await openDataset<tf.Tensor>({
    reader: folder.reader,
    mode: options.dataMode,
    threshold: options.threshold,
    workers: options.workers,
    prefetch: options.prefetch,
    labels: folder.labels,
    classNames: folder.classNames,
    source: root,
    strict: bad.strict,
    onSkip: (s) => {
      skipped.add(s.index);
      if (!bad.skipped.some((b) => b.file === s.file)) bad.skip(skipError(s));
    },
    say: options.log,
  });
  if (isStreaming(ds) || skipped.size === 0) return ds;
  const mem = ds as TensorDataset;
  if (skipped.size === mem.size) bad.assertAnyRead(root, 0);
  return dropRows(mem, skipped);
}

/** The rows of `ds` not in `drop`, as a new dataset (`ds` is disposed). */
function dropRows(ds: TensorDataset, drop: ReadonlySet<number>): TensorDataset {
  const keep = Array.from({ length: ds.size }, (_, i) => i).filter((i) => !drop.has(i));
  const x = ds.getBatch(keep);
  const labels = ds.labels ? Int32Array.from(keep, (i) => ds.labels![i]!) : undefined;
  ds.dispose();
  return new TensorDataset(x, labels, ds.classNames, ds.source);
}
