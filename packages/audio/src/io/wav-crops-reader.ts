/**
 * Folders of long WAV recordings (minutes to hours per file) as a streaming sample source (core's
 * `SampleReader` contract): every file's header is read once into core's on-disk file index
 * (where its samples start, their encoding, how many frames), and a sample is a crop of
 * `cropSamples` at the target rate, read by byte offset from the data chunk and resampled on its
 * own: a file is never decoded whole. A file of `T` output samples gives `max(1, floor(T / crop))`
 * samples; sample `k` of a file is, for evaluation (no seed), the crop starting at `k * crop` (a
 * file shorter than a crop is zero-padded on both sides, as `fitClip`), and for a training draw
 * a crop starting anywhere in the file, uniformly, from the draw's seed. A crop equals the same
 * span of the whole file resampled at once (resample.ts), bit for bit: enough input either side
 * for the filter, and an input start on a multiple of the down-factor, so every output sample
 * sums the same products in the same order. In clip mode a file is one sample, its centre crop
 * (the whole-file loader's clip, bit for bit), so a folder of many short clips streams too.
 * Node-only; imports no tfjs.
 */
import { closeSync } from 'node:fs';
import {
  type BadFileReason,
  ConfigError,
  DataFormatError,
  FileIndex,
  type FileIndexReport,
  openDataFile,
  openFileIndex,
  type ReaderSpec,
  Rng,
  Runs,
  type SampleArray,
  type SampleLayout,
  type SampleReader,
  type StalePolicy,
  unreadableFileError,
} from '@autodidact/core/reader';
import { resample } from './resample.js';
import { readMonoFrames, readWavHeader, type WavHeader } from './wav-header.js';

/** The JSON config a data worker builds the reader from. */
export interface WavCropsConfig {
  /** The index file written by {@link indexWavCrops}. */
  readonly index: string;
  /** Target rate (Hz). */
  readonly sampleRate: number;
  /** Samples per crop at the target rate. */
  readonly cropSamples: number;
  /**
   * One sample per file: its centre `cropSamples` (a shorter file zero-padded on both sides), the
   * whole-file loader's clip (`fitClip`), for training draws too. Default false: every whole crop.
   */
  readonly clip?: boolean;
}

/** Per-file metadata in the index: the header, or why it could not be read. */
type Meta =
  | { readonly header: WavHeader & { [k: string]: number } }
  | { readonly error: string; readonly reason: BadFileReason | null };

/** Half the resampling filter in units of max(up, down) (resample.ts's default). */
const HALF_LENGTH_FACTOR = 10;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Up and down factors from `from` Hz to `to` Hz. */
function ratio(from: number, to: number): { up: number; down: number } {
  const g = gcd(from, to);
  return { up: to / g, down: from / g };
}

/** Output samples of a file of `frames` input frames: resample.ts's `ceil(n * up / down)`. */
function outputLength(frames: number, from: number, to: number): number {
  const { up, down } = ratio(from, to);
  return up === down ? frames : Math.ceil((frames * up) / down);
}

/** Samples a file gives: its whole crops, at least one (one in clip mode). */
function cropsOf(meta: Meta, sampleRate: number, cropSamples: number, clip = false): number {
  if (clip || !('header' in meta)) return 1;
  const h = meta.header;
  return Math.max(1, Math.floor(outputLength(h.frames, h.sampleRate, sampleRate) / cropSamples));
}

function checkConfig(sampleRate: number, cropSamples: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) {
    throw new ConfigError(`expected a positive integer rate, got ${sampleRate}`, { field: 'sampleRate' });
  }
  if (!Number.isInteger(cropSamples) || cropSamples < 1) {
    throw new ConfigError(`expected a positive integer, got ${cropSamples}`, { field: 'cropSamples' });
  }
}

/** Options of {@link indexWavCrops}. */
export interface IndexWavCropsOptions {
  sampleRate: number;
  cropSamples: number;
  /** One centred clip per file (see {@link WavCropsConfig.clip}). */
  clip?: boolean;
  /** Default `rebuild`: changed, removed and new files are re-indexed when the folder is opened. */
  stale?: StalePolicy;
  /** Where the index lives. Default: the per-user cache (`index/wav-crops/<folder>-<hash>`). */
  cacheDir?: string;
  say?: (line: string) => void;
}

/**
 * Indexes `files` (absolute paths under `root`) and returns the spec a data worker builds the
 * reader from, the sample count, and for each sample the index of its file in `paths` (the
 * index's sorted paths, relative to `root`), so labels can follow.
 */
export async function indexWavCrops(
  root: string,
  files: readonly string[],
  options: IndexWavCropsOptions,
): Promise<{
  spec: ReaderSpec<WavCropsConfig>;
  size: number;
  layout: SampleLayout;
  paths: readonly string[];
  fileOfSample: Int32Array;
  report: FileIndexReport;
}> {
  checkConfig(options.sampleRate, options.cropSamples);
  const { index, report } = await openFileIndex<Meta>({
    root,
    kind: 'wav-crops',
    list: async () => [...files],
    describe: (path) => describeFile(path),
    stale: options.stale,
    cacheDir: options.cacheDir,
    say: options.say,
  });
  const counts = index.meta!.map((m) => cropsOf(m, options.sampleRate, options.cropSamples, options.clip));
  const size = counts.reduce((a, b) => a + b, 0);
  const fileOfSample = new Int32Array(size);
  let at = 0;
  counts.forEach((c, f) => {
    fileOfSample.fill(f, at, at + c);
    at += c;
  });
  return {
    spec: {
      module: import.meta.url,
      config: {
        index: index.file,
        sampleRate: options.sampleRate,
        cropSamples: options.cropSamples,
        ...(options.clip ? { clip: true } : {}),
      },
    },
    size,
    layout: { shape: [options.cropSamples], dtype: 'float32' },
    paths: index.paths,
    fileOfSample,
    report,
  };
}

/** A file's header, or the one-line reason it cannot be read (kept, so its sample is a counted skip). */
function describeFile(path: string): Meta {
  try {
    const fd = openDataFile(path);
    try {
      return { header: { ...readWavHeader(fd, path) } };
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const e = err instanceof DataFormatError ? err : unreadableFileError(path, err);
    return { error: e.detail, reason: e.reason ?? null };
  }
}

/** Reads crops by sample index. */
class WavCropsReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  private readonly files: Runs; // the crops of each file

  constructor(
    private readonly index: FileIndex<Meta>,
    private readonly sampleRate: number,
    private readonly crop: number,
    private readonly clip: boolean,
  ) {
    this.layout = { shape: [crop], dtype: 'float32' };
    this.files = new Runs(index.length, (f) => cropsOf(index.meta![f]!, sampleRate, crop, clip));
    this.size = this.files.total;
  }

  describe(i: number): string {
    const { run: file, offset: k } = this.files.locate(i);
    return `${this.index.absolute(file)} crop ${k}`;
  }

  read(i: number, out: SampleArray, seed?: number): void {
    const { run: f, offset: k } = this.files.locate(i);
    const file = this.index.absolute(f);
    const meta = this.index.meta![f]!;
    if (!('header' in meta)) throw new DataFormatError(meta.error, { file, reason: meta.reason ?? undefined });
    const { fd } = this.index.openChecked(f);
    try {
      const h = meta.header;
      const total = outputLength(h.frames, h.sampleRate, this.sampleRate);
      let start: number;
      if (total <= this.crop) start = -((this.crop - total) >> 1);
      else if (this.clip) start = (total - this.crop) >> 1;
      else if (seed !== undefined) start = new Rng(seed).int(total - this.crop + 1);
      else start = k * this.crop;
      out.fill(0);
      const from = Math.max(0, start);
      const to = Math.min(total, start + this.crop);
      const values = this.span(fd, file, h, from, to);
      out.set(values, from - start);
    } catch (err) {
      throw unreadableFileError(file, err);
    } finally {
      closeSync(fd);
    }
  }

  /** Output samples `[from, to)` of the whole file resampled to the target rate, reading only what they need. */
  private span(fd: number, file: string, h: WavHeader, from: number, to: number): Float32Array {
    const { up, down } = ratio(h.sampleRate, this.sampleRate);
    if (up === down) return readMonoFrames(fd, file, h, from, to - from);
    // resample.ts: output m sums input frames j in [ceil((t - (taps - 1)) / up), floor(t / up)], t = half + m * down.
    const half = HALF_LENGTH_FACTOR * Math.max(up, down);
    const taps = 2 * half + 1;
    const lo = Math.max(0, Math.ceil((half + from * down - (taps - 1)) / up));
    const hi = Math.min(h.frames - 1, Math.floor((half + (to - 1) * down) / up));
    const a0 = Math.floor(lo / down) * down; // on a multiple of down: chunk output m' is file output m' + a0 * up / down
    const chunk = readMonoFrames(fd, file, h, a0, hi + 1 - a0);
    const y = resample(chunk, h.sampleRate, this.sampleRate);
    const shift = (a0 / down) * up;
    return y.subarray(from - shift, to - shift);
  }
}

/** The factory a data worker calls (see core's `ReaderSpec`). */
export function createSampleReader(config: WavCropsConfig): SampleReader {
  if (typeof config?.index !== 'string') {
    throw new ConfigError('expected the path of an index file', { field: 'reader.config.index' });
  }
  checkConfig(config.sampleRate, config.cropSamples);
  const index = FileIndex.load<Meta>(config.index);
  if (!index.meta) throw new DataFormatError('index has no WAV headers', { file: config.index });
  return new WavCropsReader(index, config.sampleRate, config.cropSamples, config.clip === true);
}
