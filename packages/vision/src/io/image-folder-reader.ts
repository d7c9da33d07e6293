/**
 * An image folder as a streaming sample source (core's `SampleReader` contract): the files are
 * indexed once in the per-user cache (core's file index: path, size, time, fingerprint), and
 * each sample is decoded on demand by sharp inside a data worker: the shorter side scaled to the
 * target and the centre cropped (`cover`, as torchvision's Resize + CenterCrop), grey or colour,
 * as float32 in [0, 1] (`byte / 255`, the in-memory `ImageDataset`'s values). A file changed or
 * removed since indexing, an empty, truncated or undecodable one is a DataFormatError naming the
 * file, which the data workers turn into a counted skip (the sample is replaced by the next
 * readable one), never a crash mid-epoch. Node-only; imports no tfjs, so a worker stays small.
 */
import { closeSync, readSync } from 'node:fs';
import {
  ConfigError,
  DataFormatError,
  FileIndex,
  type FileIndexReport,
  openFileIndex,
  type ReaderSpec,
  type SampleArray,
  type SampleLayout,
  type SampleReader,
  type StalePolicy,
  unreadableFileError,
} from '@autodidact/core/reader';
import sharp from 'sharp';
import {
  checkReadImageOptions,
  decodeImage,
  type ImageFit,
  isUnsupportedImageFile,
  sniffImageFormat,
} from './image-file.js';
import { type DecodeJpegCover, nativeJpegCover } from './native-jpeg.js';

/** The JSON config a data worker builds the reader from. */
export interface ImageFolderReaderConfig {
  /** The index file written by {@link indexImageFolder}. */
  readonly index: string;
  /** Output `[height, width]`. */
  readonly size: readonly [number, number];
  /** 1 (grey) or 3 (colour). */
  readonly channels: 1 | 3;
  /** Default `cover` (scale the shorter side, crop the centre). */
  readonly fit?: ImageFit;
  /**
   * `auto` (default): plain JPEGs fitted by `cover` go through the native libjpeg-turbo path
   * when the addon is built (native-jpeg.ts), everything else through sharp; `sharp`: sharp only.
   */
  readonly decoder?: 'auto' | 'sharp';
}

/** Options of {@link indexImageFolder}. */
export interface IndexImageFolderOptions {
  /** Output `[height, width]` of every sample. */
  size: readonly [number, number];
  /** 1 (grey) or 3 (colour). */
  channels: 1 | 3;
  fit?: ImageFit;
  /** Default `rebuild`: changed, removed and new files are re-indexed when the folder is opened. */
  stale?: StalePolicy;
  /** Where the index lives. Default: the per-user cache (`index/image-folder/<folder>-<hash>`). */
  cacheDir?: string;
  /** Notes (index built or updated). */
  say?: (line: string) => void;
}

/**
 * Indexes `files` (absolute paths under `root`, e.g. an ImageFolder listing) and returns the
 * spec a data worker builds the reader from. The index keeps the files sorted by path; `paths`
 * gives each sample's file (relative to `root`), so labels can follow.
 */
export async function indexImageFolder(
  root: string,
  files: readonly string[],
  options: IndexImageFolderOptions,
): Promise<{
  spec: ReaderSpec<ImageFolderReaderConfig>;
  size: number;
  layout: SampleLayout;
  paths: readonly string[];
  report: FileIndexReport;
}> {
  checkReadImageOptions(options);
  const { index, report } = await openFileIndex({
    root,
    kind: 'image-folder',
    list: async () => [...files],
    stale: options.stale,
    cacheDir: options.cacheDir,
    say: options.say,
  });
  const [h, w] = options.size;
  return {
    spec: {
      module: import.meta.url,
      config: {
        index: index.file,
        size: [h, w],
        channels: options.channels,
        ...(options.fit ? { fit: options.fit } : {}),
      },
    },
    size: index.length,
    layout: { shape: [h, w, options.channels], dtype: 'float32' },
    paths: index.paths,
    report,
  };
}

/** Decodes in flight per data worker (see `ImageFolderReader.concurrency`). */
const DECODES_IN_FLIGHT = 4;

/** Decodes image `i` of the index on each read. */
class ImageFolderReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  /**
   * Decodes in flight per worker: sharp decodes on libuv's thread pool, so while one image
   * decodes the worker's thread reads the next file and converts the last one's pixels
   * (`npm run bench:data`, tools/bench/data-pipeline-vision-audio.ts, measured the gain).
   */
  readonly concurrency = DECODES_IN_FLIGHT;

  constructor(
    private readonly index: FileIndex,
    private readonly config: ImageFolderReaderConfig,
  ) {
    this.size = index.length;
    this.layout = { shape: [config.size[0], config.size[1], config.channels], dtype: 'float32' };
    const cover = (config.fit ?? 'cover') === 'cover';
    this.jpeg = cover && config.decoder !== 'sharp' ? nativeJpegCover() : undefined;
  }

  /** The native JPEG path, when built and the fit is `cover` (it declines anything unusual). */
  private readonly jpeg: DecodeJpegCover | undefined;

  describe(i: number): string {
    return this.index.absolute(i);
  }

  /** The file's bytes, after checking it is still the file that was indexed. */
  private bytesOf(i: number): Buffer {
    const file = this.index.absolute(i);
    const { fd, size } = this.index.openChecked(i);
    try {
      const bytes = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, bytes, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      if (got !== size) {
        throw new DataFormatError(`read ${got} of ${size} bytes`, { file, reason: 'truncated' });
      }
      return bytes;
    } catch (err) {
      throw unreadableFileError(file, err);
    } finally {
      closeSync(fd);
    }
  }

  async read(i: number, out: SampleArray): Promise<void> {
    const file = this.index.absolute(i);
    if (isUnsupportedImageFile(file)) {
      throw new DataFormatError('unsupported image format (expected PNG, JPEG, WebP, AVIF or TIFF)', {
        file,
        reason: 'wrong format',
      });
    }
    const bytes = this.bytesOf(i);
    if (this.jpeg && out instanceof Float32Array && sniffImageFormat(bytes) === 'jpeg') {
      const [h, w] = this.config.size;
      if (this.jpeg(bytes, h, w, this.config.channels, out)) return;
    }
    const img = await decodeImage(bytes, file, {
      size: this.config.size,
      channels: this.config.channels,
      fit: this.config.fit,
    });
    const px = img.pixels;
    if (px.length !== out.length) {
      throw new DataFormatError(`decoded ${px.length} values, expected ${out.length}`, { file });
    }
    for (let k = 0; k < px.length; k++) out[k] = px[k]! / 255;
  }
}

/** The factory a data worker calls (see core's `ReaderSpec`). */
export function createSampleReader(config: ImageFolderReaderConfig): SampleReader {
  if (typeof config?.index !== 'string') {
    throw new ConfigError('expected the path of an index file', { field: 'reader.config.index' });
  }
  checkReadImageOptions({ size: config.size, channels: config.channels, fit: config.fit });
  if (!config.size || !config.channels) {
    throw new ConfigError('expected size [height, width] and channels', { field: 'reader.config' });
  }
  // Every file is decoded once per epoch: libvips' operation cache would only hold memory.
  sharp.cache(false);
  return new ImageFolderReader(FileIndex.load(config.index), config);
}
