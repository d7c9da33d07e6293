/**
 * An image folder of any size as a dataset: listed and indexed once (image-folder-reader.ts),
 * then held in memory when its decoded size is small (every image decoded once, by the data
 * workers) or streamed from disk while training (decoded ahead of the step by the workers),
 * chosen by core's `openDataset` (`auto` by decoded size, or forced with `dataMode`). Both give
 * the same values for the same index, bit for bit. Bad files (empty, truncated, undecodable,
 * changed or removed after indexing) go to the load's `BadFiles` policy: a warning line and a
 * count; with `strict`, a stop naming the file. Streaming, a bad file's sample is replaced by
 * the next readable one (indices, and so the data order and resume, stay fixed); in memory its
 * row is left out, as the whole folder was read already.
 * Node-only.
 */
import {
  type AnyDataset,
  ConfigError,
  type FolderDatasetOptions,
  labelsByPath,
  openFolderDataset,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { ImageFit } from './image-file.js';
import { indexImageFolder } from './image-folder-reader.js';
import { type ImageFolderListing, interleaveClasses, noImagesError } from './image-folder.js';

/** Options of {@link openImageFolder}. */
export interface OpenImageFolderOptions extends FolderDatasetOptions {
  /** The folder's listing (`listImageFolder`), with labels when it has class folders. */
  listing: ImageFolderListing;
  /** Output `[height, width]`. */
  size: readonly [number, number];
  /** 1 (grey) or 3 (colour). */
  channels: 1 | 3;
  fit?: ImageFit;
  /** Keep the first `limit` files (round-robin over classes, see `interleaveClasses`). */
  limit?: number;
}

/** Opens an image folder (see the file comment). */
export async function openImageFolder(root: string, options: OpenImageFolderOptions): Promise<AnyDataset<tf.Tensor>> {
  const { badFiles: bad } = options;
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new ConfigError(`expected a positive integer, got ${options.limit}`, { field: 'limit' });
  }
  const listing = options.limit !== undefined ? interleaveClasses(options.listing) : options.listing;
  const files = options.limit !== undefined ? listing.files.slice(0, options.limit) : listing.files;
  if (files.length === 0) throw noImagesError(root, bad);
  const indexed = await indexImageFolder(root, files, {
    size: options.size,
    channels: options.channels,
    fit: options.fit,
    cacheDir: options.cacheDir,
    say: options.log,
  });
  // The index sorts files by path; labels follow each file.
  const labels = labelsByPath(root, { files, labels: listing.labels }, indexed.paths);
  return openFolderDataset(
    root,
    { reader: indexed.spec, files: indexed.size, labels, classNames: listing.classNames },
    options,
  );
}
