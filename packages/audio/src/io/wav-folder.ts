/**
 * A folder of WAV files as a dataset of fixed-length mono clips `[n, clipSamples]`. WAVs
 * directly in the folder are unlabelled; one subfolder per class gives labels (class index
 * = position of the subfolder name in sorted order), the layout of torchvision's
 * ImageFolder. Clips longer than `clipSamples` are centre-cropped, shorter ones zero-padded
 * on both sides, so every sample has one shape and batches are plain tensors. Hidden files
 * and folders (names starting with '.') are skipped; symbolic links to files and folders are
 * followed (a link back into a folder being read is left out with a note). Bad files follow
 * core's one policy (`BadFiles`): skipped with a warning and counted, or a stop with `strict`.
 */
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { BadFiles, ConfigError, DataFormatError, FolderWalker, noFilesError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { fitClip } from './fit-clip.js';
import { readWav } from './read-wav.js';
import { WavDataset } from './wav-dataset.js';

/** Options of {@link loadWavFolder}. */
export interface WavFolderOptions {
  /** Target sample rate (Hz). Default 16000. */
  sampleRate?: number;
  /** Samples per clip after crop/pad. Default 16000 (1 s at 16 kHz). */
  clipSamples?: number;
  /** Require one subfolder per class (and no WAVs at the top level). Default false. */
  requireLabels?: boolean;
  /** Read at most this many files (in sorted path order). */
  limit?: number;
  /** Skip unreadable files (count in `skipped`) instead of failing on the first. Default false. */
  skipCorrupt?: boolean;
  /** The bad-file policy to count skipped files in (and stop at the first with `strict`); overrides `skipCorrupt`. */
  badFiles?: BadFiles;
  /** Notes on folders left out (a symbolic link back into a folder being read). */
  log?: (line: string) => void;
  /** A listing made already (`listWavFiles`), so the folder is not walked twice. */
  listing?: WavListing;
}

/** WAV files under a folder, with a class per file when the layout has one. */
export interface WavListing {
  /** Absolute paths, sorted. */
  files: string[];
  /** Class index per file, when every file sits in a class subfolder. */
  labels?: Int32Array;
  /** Sorted class (subfolder) names. */
  classNames?: string[];
}

/**
 * Lists the WAV files under `root` (recursively). Labels are given when every file lies in a
 * subfolder of `root`; the class is that first-level subfolder.
 * @throws DataFormatError when `root` is missing, not a folder, or holds no WAV files;
 *   ConfigError when `requireLabels` and some file is not in a class subfolder.
 */
export async function listWavFiles(
  root: string,
  requireLabels = false,
  walk: { badFiles?: BadFiles; log?: (line: string) => void } = {},
): Promise<WavListing> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch {
    throw new DataFormatError('no such folder', { file: root });
  }
  if (!info.isDirectory()) throw new DataFormatError('expected a folder of WAV files', { file: root });
  const files = new FolderWalker({
    accept: (name) => name.toLowerCase().endsWith('.wav'),
    badFiles: walk.badFiles,
    log: walk.log,
  }).files(root);
  files.sort();
  if (files.length === 0) throw noFilesError(root, walk.badFiles, 'no .wav files in this folder');
  const classOf = files.map((f) => {
    const parts = relative(root, f).split(sep);
    return parts.length > 1 ? parts[0]! : undefined;
  });
  const unlabeled = classOf.indexOf(undefined);
  if (unlabeled >= 0) {
    if (requireLabels) {
      throw new ConfigError(
        `${files[unlabeled]} is not in a class subfolder; labelled audio needs <folder>/<class>/<clip>.wav`,
        { field: 'data' },
      );
    }
    return { files };
  }
  const classNames = [...new Set(classOf as string[])].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { files, labels: Int32Array.from(classOf, (c) => index.get(c!)!), classNames };
}

/**
 * Loads a folder of WAVs as fixed-length mono clips at `sampleRate`.
 * @throws DataFormatError naming the file for a missing folder or an unreadable WAV
 *   (unless `skipCorrupt`); ConfigError for bad options.
 */
export async function loadWavFolder(root: string, options: WavFolderOptions = {}): Promise<WavDataset> {
  const sampleRate = options.sampleRate ?? 16000;
  const clip = options.clipSamples ?? 16000;
  if (!Number.isInteger(clip) || clip < 1) {
    throw new ConfigError(`expected a positive integer, got ${clip}`, { field: 'clipSamples' });
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1) {
    throw new ConfigError(`expected a positive integer rate, got ${sampleRate}`, { field: 'sampleRate' });
  }
  const bad = options.badFiles ?? new BadFiles({ strict: !options.skipCorrupt });
  const skippedBefore = bad.skipped.length;
  const listing =
    options.listing ?? (await listWavFiles(root, options.requireLabels, { badFiles: bad, log: options.log }));
  let files = listing.files;
  let labels = listing.labels;
  if (options.limit !== undefined && options.limit < files.length) {
    files = files.slice(0, options.limit);
    labels = labels?.slice(0, options.limit);
  }
  const data = new Float32Array(files.length * clip);
  const kept: string[] = [];
  const keptLabels: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const wav = await bad.attempt(() => readWav(files[i]!, { sampleRate }));
    if (!wav) continue;
    fitClip(wav.samples, clip, data, kept.length * clip);
    kept.push(files[i]!);
    if (labels) keptLabels.push(labels[i]!);
  }
  bad.assertAnyRead(root, kept.length);
  const skipped = bad.skipped.length - skippedBefore;
  const x = tf.tensor2d(data.subarray(0, kept.length * clip), [kept.length, clip]);
  return new WavDataset(x, kept, labels ? Int32Array.from(keptLabels) : undefined, listing.classNames, root, skipped);
}
