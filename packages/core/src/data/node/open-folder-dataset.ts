/**
 * A data folder indexed by a modality's reader, opened as a dataset with the load's bad-file
 * policy: in memory or streamed ({@link openDataset}), each unreadable file a warning line and a
 * count (once per file, however many of its samples were met), or with `strict` a stop naming the
 * file. Streaming, a bad file's sample is replaced by the next readable one, so indices, the data
 * order and resume stay fixed; in memory its rows are left out, as the whole folder was read
 * already (with an `assemble`, whose rows may pair with more than the reader gives, such as a
 * partner file found by the row's index, the row holds its replacement as when streaming).
 * Node-only.
 */
import { relative, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DataFormatError } from '../../errors.js';
import type { BadFiles } from '../../io/bad-files.js';
import type { DataMode } from '../data-mode.js';
import { TensorDataset } from '../dataset.js';
import type { SkipRecord } from '../read-samples.js';
import type { AssembleBatch } from '../reader-dataset.js';
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
export interface IndexedFolder<B = tf.Tensor> {
  /** The reader module and its config. */
  reader: ReaderSpec<unknown>;
  /** How many files the index holds (counted as considered by the bad-file policy). */
  files: number;
  /** Label per sample, when the folder has class folders. */
  labels?: Int32Array;
  classNames?: readonly string[];
  /** Builds a batch (see `ReaderDataset`); default one tensor of the samples. */
  assemble?: AssembleBatch<B>;
  /** One sample's shape as the method sees it, when `assemble` builds something else. */
  sampleShape?: readonly number[];
}

/** A folder's files as listed, with a label each when it has class folders. */
export interface LabelledFiles {
  /** Absolute paths under the folder. */
  files: readonly string[];
  /** Label of `files[i]`; may run longer than `files` (the rest is not used). */
  labels?: ArrayLike<number>;
}

/**
 * The labels of an index over `root`, found by path so that each follows its file whatever order
 * the index keeps: `paths` are the index's files (relative to `root`, `/` between names, as core's
 * file index gives them). One label per path, or with `fileOfSample` (each sample's file, an
 * index into `paths`) one per sample. A path that is not listed gets 0; a listing without labels
 * gives undefined.
 */
export function labelsByPath(
  root: string,
  listing: LabelledFiles,
  paths: readonly string[],
  fileOfSample?: ArrayLike<number>,
): Int32Array | undefined {
  const { files, labels } = listing;
  if (!labels) return undefined;
  const rel = (f: string) => relative(root, f).split(sep).join('/');
  const labelOf = new Map(files.map((f, i) => [rel(f), labels[i]!] as const));
  const ofPath = (p: string) => labelOf.get(p) ?? 0;
  if (fileOfSample) return Int32Array.from(fileOfSample, (f) => ofPath(paths[f]!));
  return Int32Array.from(paths, ofPath);
}

/** A skipped sample as the bad-file policy counts it: the file's own message, without the path prefix. */
function skipError(s: SkipRecord): DataFormatError {
  const detail = s.file && s.message.startsWith(`${s.file}: `) ? s.message.slice(s.file.length + 2) : s.message;
  return new DataFormatError(detail, { file: s.file, reason: s.reason });
}

/** Opens an indexed data folder `root` (see the file comment). */
export async function openFolderDataset<B = tf.Tensor>(
  root: string,
  folder: IndexedFolder<B>,
  options: FolderDatasetOptions,
): Promise<AnyDataset<B>> {
  const bad = options.badFiles;
  bad.consider(folder.files);
  const skipped = new Set<number>();
  const ds = await openDataset<B>({
    reader: folder.reader,
    mode: options.dataMode,
    threshold: options.threshold,
    workers: options.workers,
    prefetch: options.prefetch,
    labels: folder.labels,
    classNames: folder.classNames,
    assemble: folder.assemble,
    sampleShape: folder.sampleShape,
    source: root,
    strict: bad.strict,
    onSkip: (s) => {
      skipped.add(s.index);
      if (!bad.skipped.some((b) => b.file === s.file)) bad.skip(skipError(s));
    },
    say: options.log,
  });
  if (isStreaming(ds) || skipped.size === 0 || folder.assemble) return ds;
  const mem = ds as unknown as TensorDataset;
  if (skipped.size === mem.size) bad.assertAnyRead(root, 0);
  return dropRows(mem, skipped) as unknown as AnyDataset<B>;
}

/** The rows of `ds` not in `drop`, as a new dataset (`ds` is disposed). */
function dropRows(ds: TensorDataset, drop: ReadonlySet<number>): TensorDataset {
  const keep = Array.from({ length: ds.size }, (_, i) => i).filter((i) => !drop.has(i));
  const x = ds.getBatch(keep);
  const labels = ds.labels ? Int32Array.from(keep, (i) => ds.labels![i]!) : undefined;
  ds.dispose();
  return new TensorDataset(x, labels, ds.classNames, ds.source);
}
