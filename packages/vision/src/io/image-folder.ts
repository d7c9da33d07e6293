/**
 * The ImageFolder layout (as torchvision names it): `root/<class>/<...>/<image>` gives labelled
 * images, one class per subfolder (class index = position of the folder name in sorted order);
 * a folder with the images directly inside is unlabelled. Files are decoded by sharp with
 * bounded concurrency (decoding runs on libuv's thread pool, off the JS thread); corrupt or
 * unsupported files either stop the load with a DataFormatError naming the file, or, with
 * `skipCorrupt`, are left out and listed in `skipped`.
 */
import { relative } from 'node:path';
import {
  BadFiles,
  ConfigError,
  DataFormatError,
  type DirEntry,
  checkDataFile,
  FolderWalker,
  noFilesError,
  readDirEntries,
} from '@autodidact/core';
import sharp from 'sharp';
import { ImageDataset } from './image-dataset.js';
import {
  checkReadImageOptions,
  isImageFile,
  isUnsupportedImageFile,
  type ReadImageOptions,
  readImage,
} from './image-file.js';

/** The error of an image folder with no images to read (see core's `noFilesError`). */
export function noImagesError(root: string, bad: BadFiles): DataFormatError {
  return noFilesError(root, bad, 'no PNG, JPEG, WebP, AVIF or TIFF images found');
}

/** Whether a folder is read with labels. */
export type FolderLabels = 'auto' | 'required' | 'none';

/** The files of an image folder, in load order (class by class, names sorted). */
export interface ImageFolderListing {
  root: string;
  /** Image files (readable extensions and recognised-but-unsupported ones), absolute paths. */
  files: string[];
  /** Class index per file, when the folder has class subfolders. */
  labels?: Int32Array;
  /** Class names (subfolder names, sorted), when labelled. */
  classNames?: string[];
}

/** A file left out of a load, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** How a listing treats entries it cannot read (see core's `BadFiles` and `FolderWalker`). */
export interface ListingOptions {
  /** Unreadable entries under image names (broken links, link loops, FIFOs) are skipped and counted here; without it they throw. */
  badFiles?: BadFiles;
  /** Notes on folders left out (a symbolic link back into a folder being read). */
  log?: (line: string) => void;
}

/** Options of `loadImageFolder`. */
export interface ImageFolderOptions extends ReadImageOptions {
  /**
   * `auto` (default): labelled when the folder has class subfolders, unlabelled when the
   * images sit directly in it; `required`: fail unless labelled; `none`: read every image
   * below the folder without labels.
   */
  labels?: FolderLabels;
  /**
   * Keep only `limit` readable images: the first ones in name order for an unlabelled folder;
   * for a labelled one, taken round-robin over the classes (see `interleaveClasses`), so a
   * limited load is class-balanced instead of holding the first classes only.
   */
  limit?: number;
  /** Leave out unreadable files and list them in `skipped`, instead of failing on the first. */
  skipCorrupt?: boolean;
  /**
   * The bad-file policy to count skipped files in (and to stop at the first with `strict`);
   * overrides `skipCorrupt`. The CLI passes one per load, so its summary line covers the listing too.
   */
  badFiles?: BadFiles;
  /** A listing made already (by `listImageFolder`), so the folder is not walked twice. */
  listing?: ImageFolderListing;
  /** Files decoded at once. Default 8. */
  concurrency?: number;
}

/** A loaded image folder: the images plus what was skipped. */
export class ImageFolderDataset extends ImageDataset {
  /** Files left out as unreadable (empty unless skipping). */
  skipped: readonly SkippedFile[] = [];
  /** Number of image files the listing held (before `limit` and skipping). */
  listed = 0;
}

const isImageName = (name: string) => isImageFile(name) || isUnsupportedImageFile(name);

/**
 * Lists an image folder without decoding anything. Symbolic links are followed (a link back into
 * a folder being read is left out with a note); unreadable entries under image names go to
 * `options.badFiles`.
 */
export function listImageFolder(
  root: string,
  labels: FolderLabels = 'auto',
  options: ListingOptions = {},
): ImageFolderListing {
  const walker = new FolderWalker({ accept: isImageName, badFiles: options.badFiles, log: options.log });
  if (labels === 'none') return { root, files: walker.files(root) };
  const top = readDirEntries(root);
  const looseEntries = top.filter((e) => e.kind !== 'dir' && isImageName(e.name));
  const classDirs: DirEntry[] = top.filter((e) => e.kind === 'dir');
  if (classDirs.length === 0 || (looseEntries.length > 0 && labels === 'auto')) {
    if (labels === 'required') {
      throw new DataFormatError(
        'expected one subfolder per class (root/<class>/<image>); found images but no class folders',
        { file: root },
      );
    }
    if (classDirs.length > 0) {
      throw new DataFormatError(
        `has both images at the top (${looseEntries[0]!.name}, ...) and subfolders (${classDirs[0]!.name}, ...): ` +
          'put every image in a class folder, or read it unlabelled (labels: none)',
        { file: root },
      );
    }
    const files: string[] = [];
    for (const e of looseEntries) {
      if (e.kind === 'file') files.push(e.path);
      else walker.bad(e);
    }
    return { root, files };
  }
  if (looseEntries.length > 0) {
    throw new DataFormatError(`image ${looseEntries[0]!.name} is outside the class folders`, { file: root });
  }
  const rootKey = walker.mark(root);
  const files: string[] = [];
  const labelList: number[] = [];
  classDirs.forEach((d, cls) => {
    if (!walker.enter(d, [rootKey])) return;
    for (const f of walker.files(d.path, [], [rootKey])) {
      files.push(f);
      labelList.push(cls);
    }
  });
  return { root, files, labels: Int32Array.from(labelList), classNames: classDirs.map((d) => d.name) };
}

/**
 * The listing reordered round-robin over classes (first image of each class, then the second of
 * each, ...), so that any prefix is as class-balanced as the folder allows. Used with `limit`.
 */
export function interleaveClasses(listing: ImageFolderListing): ImageFolderListing {
  if (!listing.labels || !listing.classNames) return listing;
  const byClass: number[][] = listing.classNames.map(() => []);
  listing.labels.forEach((c, i) => {
    byClass[c]!.push(i);
  });
  const order: number[] = [];
  for (let round = 0; order.length < listing.files.length; round++) {
    for (const members of byClass) if (round < members.length) order.push(members[round]!);
  }
  return {
    root: listing.root,
    files: order.map((i) => listing.files[i]!),
    labels: Int32Array.from(order, (i) => listing.labels![i]!),
    classNames: listing.classNames,
  };
}

/** Size and channel count of an image file, from its header (nothing decoded). */
export async function probeImage(file: string): Promise<{ height: number; width: number; channels: 1 | 3 }> {
  checkDataFile(file); // a FIFO would block sharp forever; an empty file is a bad file
  try {
    const m = await sharp(file).metadata();
    if (!m.width || !m.height) throw new Error('no size in header');
    // 1 = grey, 2 = grey + alpha; colour and palette images are read as RGB.
    return { height: m.height, width: m.width, channels: (m.channels ?? 3) <= 2 ? 1 : 3 };
  } catch (err) {
    throw new DataFormatError(`cannot read image header (${(err as Error).message.split('\n')[0]})`, {
      file,
      cause: err,
      reason: 'corrupt',
    });
  }
}

/** Summary line of skipped files, e.g. `skipped 2 of 120 image files: a.jpg (cannot decode ...), ...`. */
export function summarizeSkipped(skipped: readonly SkippedFile[], listed: number, root?: string, show = 5): string {
  if (skipped.length === 0) return `read all ${listed} image files`;
  const name = (f: string) => (root ? relative(root, f) : f);
  const shown = skipped.slice(0, show).map((s) => `${name(s.file)} (${s.reason})`);
  const more = skipped.length > show ? `, and ${skipped.length - show} more` : '';
  return `skipped ${skipped.length} of ${listed} image files: ${shown.join('; ')}${more}`;
}

/**
 * Loads an image folder into memory as 8-bit pixels. Without `size`, every image is fitted to the
 * size of the first readable image; without `channels`, the first image decides (1 if grey, else 3).
 */
export async function loadImageFolder(root: string, options: ImageFolderOptions = {}): Promise<ImageFolderDataset> {
  checkReadImageOptions(options);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigError(`expected a positive integer, got ${concurrency}`, { field: 'concurrency' });
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new ConfigError(`expected a positive integer, got ${options.limit}`, { field: 'limit' });
  }
  const bad = options.badFiles ?? new BadFiles({ strict: !options.skipCorrupt, unit: 'image files' });
  const skippedBefore = bad.skipped.length;
  const listed = options.listing ?? listImageFolder(root, options.labels ?? 'auto', { badFiles: bad });
  const listing = options.limit !== undefined ? interleaveClasses(listed) : listed;
  const files = listing.files;
  if (files.length === 0) throw noImagesError(root, bad);
  const limit = Math.min(options.limit ?? files.length, files.length);

  const results: ({ pixels: Uint8Array } | { error: DataFormatError } | undefined)[] = new Array(files.length);
  let size = options.size;
  let channels = options.channels;
  let next = 0;
  let good = 0;
  let failed = false;

  const decodeOne = async (i: number): Promise<void> => {
    const file = files[i]!;
    try {
      if (isUnsupportedImageFile(file)) {
        throw new DataFormatError('unsupported image format (expected PNG, JPEG, WebP, AVIF or TIFF)', {
          file,
          reason: 'wrong format',
        });
      }
      if (!size || !channels) {
        const p = await probeImage(file);
        size ??= [p.height, p.width];
        channels ??= p.channels;
      }
      const img = await readImage(file, { size, channels, fit: options.fit });
      results[i] = { pixels: img.pixels };
      good++;
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      results[i] = { error: err };
      if (bad.strict) failed = true;
    }
  };

  // The first image fixes the size and channels; read files in order until one succeeds.
  while (next < files.length && (!size || !channels) && !failed) await decodeOne(next++);
  const worker = async (): Promise<void> => {
    while (next < files.length && good < limit && !failed) await decodeOne(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  // Deterministic outcome whatever the completion order: the earliest failure is reported,
  // and the kept images are the first `limit` readable ones in listing order.
  const keep: number[] = [];
  for (let i = 0; i < next && keep.length < limit; i++) {
    const r = results[i];
    if (!r) continue;
    bad.consider();
    if ('error' in r) bad.skip(r.error);
    else keep.push(i);
  }
  bad.assertAnyRead(root, keep.length);
  const shape: [number, number, number] = [size![0], size![1], channels!];
  const sampleLength = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(keep.length * sampleLength);
  keep.forEach((i, row) => {
    pixels.set((results[i] as { pixels: Uint8Array }).pixels, row * sampleLength);
  });
  const labels = listing.labels ? Int32Array.from(keep, (i) => listing.labels![i]!) : undefined;
  const ds = new ImageFolderDataset(
    pixels,
    shape,
    labels,
    listing.classNames,
    root,
    keep.map((i) => files[i]!),
  );
  const skipped = bad.skipped.slice(skippedBefore);
  ds.skipped = skipped.map((x) => ({ file: x.file, reason: x.message }));
  const inListing = new Set(files);
  ds.listed = files.length + skipped.filter((x) => !inListing.has(x.file)).length;
  return ds;
}
