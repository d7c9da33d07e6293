/**
 * The ImageFolder layout (as torchvision names it): `root/<class>/<...>/<image>` gives labelled
 * images, one class per subfolder (class index = position of the folder name in sorted order);
 * a folder with the images directly inside is unlabelled. Files are decoded by sharp with
 * bounded concurrency (decoding runs on libuv's thread pool, off the JS thread); corrupt or
 * unsupported files either stop the load with a DataFormatError naming the file, or, with
 * `skipCorrupt`, are left out and listed in `skipped`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, DataFormatError } from '@autodidact/core';
import sharp from 'sharp';
import { ImageDataset } from './image-dataset.js';
import {
  checkReadImageOptions,
  isImageFile,
  isUnsupportedImageFile,
  type ReadImageOptions,
  readImage,
} from './image-file.js';

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
  /** Files decoded at once. Default 8. */
  concurrency?: number;
}

/** A loaded image folder: the images plus what was skipped. */
export class ImageFolderDataset extends ImageDataset {
  /** Files left out with `skipCorrupt` (empty otherwise). */
  skipped: readonly SkippedFile[] = [];
  /** Number of image files the listing held (before `limit` and skipping). */
  listed = 0;
}

function entries(dir: string): { name: string; path: string; isDir: boolean }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataFormatError(code === 'ENOENT' ? 'no such folder' : `cannot list folder (${code})`, {
      file: dir,
      cause: err,
    });
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { name, path, isDir: statSync(path).isDirectory() };
    });
}

function imagesBelow(dir: string, out: string[]): string[] {
  for (const e of entries(dir)) {
    if (e.isDir) imagesBelow(e.path, out);
    else if (isImageFile(e.path) || isUnsupportedImageFile(e.path)) out.push(e.path);
  }
  return out;
}

/** Lists an image folder without decoding anything. */
export function listImageFolder(root: string, labels: FolderLabels = 'auto'): ImageFolderListing {
  const top = entries(root);
  if (labels === 'none') return { root, files: imagesBelow(root, []) };
  const looseImages = top.filter((e) => !e.isDir && (isImageFile(e.path) || isUnsupportedImageFile(e.path)));
  const classDirs = top.filter((e) => e.isDir);
  if (classDirs.length === 0 || (looseImages.length > 0 && labels === 'auto')) {
    if (labels === 'required') {
      throw new DataFormatError(
        'expected one subfolder per class (root/<class>/<image>); found images but no class folders',
        { file: root },
      );
    }
    if (classDirs.length > 0) {
      throw new DataFormatError(
        `has both images at the top (${looseImages[0]!.name}, ...) and subfolders (${classDirs[0]!.name}, ...): ` +
          'put every image in a class folder, or read it unlabelled (labels: none)',
        { file: root },
      );
    }
    return { root, files: looseImages.map((e) => e.path) };
  }
  if (looseImages.length > 0) {
    throw new DataFormatError(`image ${looseImages[0]!.name} is outside the class folders`, { file: root });
  }
  const files: string[] = [];
  const labelList: number[] = [];
  classDirs.forEach((d, cls) => {
    for (const f of imagesBelow(d.path, [])) {
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
  try {
    const m = await sharp(file).metadata();
    if (!m.width || !m.height) throw new Error('no size in header');
    // 1 = grey, 2 = grey + alpha; colour and palette images are read as RGB.
    return { height: m.height, width: m.width, channels: (m.channels ?? 3) <= 2 ? 1 : 3 };
  } catch (err) {
    throw new DataFormatError(`cannot read image header (${(err as Error).message.split('\n')[0]})`, {
      file,
      cause: err,
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
  const listed = listImageFolder(root, options.labels ?? 'auto');
  const listing = options.limit !== undefined ? interleaveClasses(listed) : listed;
  const files = listing.files;
  if (files.length === 0) throw new DataFormatError('no PNG, JPEG or WebP images found', { file: root });
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
        throw new DataFormatError('unsupported image format (expected PNG, JPEG or WebP)', { file });
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
      if (!options.skipCorrupt) failed = true;
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
  const skipped: SkippedFile[] = [];
  const keep: number[] = [];
  for (let i = 0; i < next && keep.length < limit; i++) {
    const r = results[i];
    if (!r) continue;
    if ('error' in r) {
      if (!options.skipCorrupt) throw r.error;
      skipped.push({ file: files[i]!, reason: r.error.message.slice(files[i]!.length + 2) });
    } else keep.push(i);
  }
  if (keep.length === 0) {
    throw new DataFormatError(`none of the ${files.length} image files could be read; first: ${skipped[0]?.reason}`, {
      file: root,
    });
  }
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
  ds.skipped = skipped;
  ds.listed = files.length;
  return ds;
}
