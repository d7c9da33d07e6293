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
import { type AnyDataset, type FolderDatasetOptions, labelsByPath, openFolderDataset } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { indexWavCrops } from './wav-crops-reader.js';
import { listWavFiles, type WavListing } from './wav-folder.js';

/** Options of {@link openWavCrops}. */
export interface OpenWavCropsOptions extends FolderDatasetOptions {
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
}

/** Opens a folder of WAV recordings as crops (see the file comment). */
export async function openWavCrops(root: string, options: OpenWavCropsOptions): Promise<AnyDataset<tf.Tensor>> {
  const bad = options.badFiles;
  const listing =
    options.listing ?? (await listWavFiles(root, options.requireLabels, { badFiles: bad, log: options.log }));
  const n = options.limit !== undefined ? Math.min(options.limit, listing.files.length) : listing.files.length;
  const files = listing.files.slice(0, n);
  const indexed = await indexWavCrops(root, files, {
    sampleRate: options.sampleRate,
    cropSamples: options.cropSamples,
    clip: options.clip,
    cacheDir: options.cacheDir,
    say: options.log,
  });
  const labels = labelsByPath(root, { files, labels: listing.labels }, indexed.paths, indexed.fileOfSample);
  return openFolderDataset(
    root,
    { reader: indexed.spec, files: indexed.paths.length, labels, classNames: listing.classNames },
    options,
  );
}
