/**
 * A folder of pairs, as `autodidact pretrain multimodal --data <folder>` reads it: every image
 * (PNG, JPEG, WebP, AVIF or TIFF) has its partner beside it under the same name, either a WAV
 * (`0001.png` + `0001.wav`: image and sound) or a text file (`0001.png` + `0001.txt`: image and
 * its description, the file's whole text). One folder holds one kind of pair. Images directly in
 * the folder are unlabelled; images in class subfolders (`<folder>/<class>/0001.png` with its
 * partner) carry their class, for the embedding map and the kNN monitor.
 *
 * The folder streams as the vision and audio folders do, whatever its size: its files are
 * indexed once (@autodidact/vision's image-folder index, @autodidact/audio's WAV index) and a
 * batch decodes only its own pairs, in core's data workers, ahead of the step; a small folder is
 * held in memory instead (core's `openDataset`, by decoded size or `dataMode`), with the same
 * values. Images are decoded by vision's reader (one size and channel count for all, as vision's
 * folders), sounds by audio's WAV reader (mono, resampled, the centred clip: centre-cropped or
 * zero-padded to one length) and become, per batch, the log-mel spectrograms of the spoken-digit
 * pairing, standardised with the mean and spread of up to {@link STATS_CLIPS} of the folder's
 * clips. Texts become bags of tokens over the vocabulary of the folder's own descriptions, built
 * in one pass over the text files (only the vocabulary is kept); a batch reads its texts again.
 * A bad image or WAV skips its whole pair (counted, or with `strict` a stop naming the file); a
 * bad text stops the load with one line naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { indexWavCrops } from '@autodidact/audio';
import {
  type AnyDataset,
  type BadFiles,
  badFilesFor,
  checkDataFile,
  DataFormatError,
  type EncoderConfig,
  type FolderDatasetOptions,
  InlineBatchLoader,
  openFolderDataset,
  type RawBatch,
  type ReaderSpec,
  unreadableFileError,
} from '@autodidact/core';
import { FOLDER_DEFAULT_SIZE, indexImageFolder, listImageFolder, probeImage } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { buildVocab, tokenBags, vocabIndex } from '../encoders/bag-of-tokens-encoder.js';
import type { PairedBatch } from './paired-dataset.js';
import { PAIRED_FOLDER_READER, type PairedFolderReaderConfig } from './paired-folder-reader.js';
import { clipLogMel, type SpectrogramStats, standardiseWith } from './spectrograms.js';

/** Folder images larger than this (either side) are fitted to vision's default folder size, as vision does. */
const MAX_NATIVE_SIDE = 96;
/**
 * Clips (evenly spaced over the folder) whose log-mel values give the mean and spread the
 * spectrograms are standardised with: enough for two numbers, and a fixed cost at any size.
 */
export const STATS_CLIPS = 256;
/** Clips decoded at once while measuring them. */
const STATS_CHUNK = 32;

/** The sounds of image + sound pairs when no option says otherwise: 1 s at 8 kHz, the spoken-digit pairing's. */
export const PAIRED_SOUND_DEFAULTS = { sampleRate: 8000, clipSeconds: 1 } as const;

/** What the second tower reads: spectrograms `[frames, nMels, 1]`, or bags over the folder's vocabulary. */
export type Partner = { kind: 'audio'; shape: number[] } | { kind: 'text'; vocab: string[] };

/** Options of {@link openPairedFolder}; every field has a default. */
export interface PairedFolderOptions extends Partial<FolderDatasetOptions> {
  /** Image side (square, shorter side scaled and the centre cropped). Default: the encoder's, else the first image's up to 96 px, else 64. */
  imageSize?: number;
  /** 1 (grey) or 3 (colour). Default: the encoder's, else the first image's. */
  channels?: 1 | 3;
  /** Audio sample rate after resampling (Hz). Default 8000. */
  sampleRate?: number;
  /** Seconds per sound (longer ones centre-cropped, shorter zero-padded). Default 1. */
  clipSeconds?: number;
  /** Read at most this many pairs (in listing order). */
  limit?: number;
  /** A vision encoder the images are for: its input size and channels are the defaults. */
  encoder?: EncoderConfig;
  /** Clips measured for the spectrograms' mean and spread (evenly spaced). Default {@link STATS_CLIPS}. */
  statsClips?: number;
  /** Without `badFiles`: stop at the first bad file instead of skipping its pair. Default false. */
  strict?: boolean;
}

/** An opened paired folder: its pairs (images as modality A, sounds or texts as B) and what B is. */
export interface PairedFolder {
  /** Batches `{ a: images [n, h, w, c], b: spectrograms or bags }`, in memory or streamed. */
  dataset: AnyDataset<PairedBatch>;
  /** What modality B is, for the method that builds its tower. */
  partner: Partner;
}

/** The partner file of `image` and its kind; a DataFormatError naming the image when it has none or two. */
function partnerOf(image: string): { file: string; kind: Partner['kind'] } {
  const stem = image.slice(0, image.length - extname(image).length);
  const wav = existsSync(`${stem}.wav`);
  const txt = existsSync(`${stem}.txt`);
  const name = basename(stem);
  if (wav && txt) {
    throw new DataFormatError(`has two partners, ${name}.wav and ${name}.txt; keep one`, { file: image });
  }
  if (!wav && !txt) {
    throw new DataFormatError(`no partner beside it: expected ${name}.wav (sound) or ${name}.txt (text)`, {
      file: image,
    });
  }
  return wav ? { file: `${stem}.wav`, kind: 'audio' } : { file: `${stem}.txt`, kind: 'text' };
}

/** The size and channels images load at: the options, else a vision encoder's input, else the first image's. */
async function imageShape(first: string, options: PairedFolderOptions): Promise<[number, number, 1 | 3]> {
  const enc = options.encoder?.modality === 'vision' ? options.encoder.inputShape : undefined;
  const fromEncoder = enc?.length === 3 ? enc : undefined;
  let native: [number, number, 1 | 3] | undefined;
  if ((options.imageSize === undefined && !fromEncoder) || (options.channels === undefined && !fromEncoder)) {
    const { height, width, channels } = await probeImage(first);
    const size = Math.max(height, width) <= MAX_NATIVE_SIDE ? [height, width] : FOLDER_DEFAULT_SIZE;
    native = [size[0]!, size[1]!, channels];
  }
  const size: [number, number] =
    options.imageSize !== undefined
      ? [options.imageSize, options.imageSize]
      : fromEncoder
        ? [fromEncoder[0]!, fromEncoder[1]!]
        : [native![0], native![1]];
  const channels = options.channels ?? (fromEncoder ? (fromEncoder[2] === 1 ? 1 : 3) : native![2]);
  return [size[0], size[1], channels];
}

/** A partner text: the file's whole text, trimmed; a DataFormatError naming the file when it has none. */
function readPairText(file: string): string {
  checkDataFile(file); // an empty file or a FIFO is a bad file before any read
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw unreadableFileError(file, err);
  }
  if (text === '') throw new DataFormatError('no text (only white space)', { file, reason: 'empty' });
  return text;
}

/** The texts of `files`, one read at a time (for a vocabulary built without holding them). */
function* pairTexts(files: readonly string[]): Generator<string> {
  for (const f of files) yield readPairText(f);
}

/**
 * Mean and spread of the log-mel values of up to `clips` clips of `sounds` (evenly
 * spaced), read a few at a time on this thread; an unreadable clip is replaced by the next
 * readable one (the dataset counts it when it meets it), or with `strict` stops the load.
 */
async function spectrogramStats(
  sounds: ReaderSpec<unknown>,
  size: number,
  sampleRate: number,
  clips: number,
  strict: boolean,
): Promise<SpectrogramStats> {
  const m = Math.max(1, Math.min(size, clips));
  const picks = Array.from({ length: m }, (_, k) => Math.floor((k * size) / m));
  const loader = await InlineBatchLoader.open(sounds, { strict });
  const mel = clipLogMel(sampleRate);
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  try {
    for (let at = 0; at < m; at += STATS_CHUNK) {
      const indices = picks.slice(at, at + STATS_CHUNK);
      const raw = await loader.load({ indices });
      const spec = tf.tidy(() =>
        mel.apply(tf.tensor2d(raw.data as Float32Array, [indices.length, raw.data.length / indices.length])),
      );
      const values = spec.dataSync();
      spec.dispose();
      for (const v of values) {
        sum += v;
        sumSq += v * v;
      }
      count += values.length;
    }
  } finally {
    mel.dispose();
    await loader.close();
  }
  const mean = sum / count;
  return { mean, sd: Math.sqrt(Math.max(0, sumSq / count - mean * mean) + 1e-6) };
}

/** A batch of image + sound rows: the images, and the sounds' standardised log-mel spectrograms. */
function soundBatch(raw: RawBatch, image: readonly number[], sampleRate: number, stats: SpectrogramStats): PairedBatch {
  const n = raw.used.length;
  const len = image.reduce((a, b) => a * b, 1);
  const mel = clipLogMel(sampleRate);
  try {
    return tf.tidy(() => {
      const rows = tf.tensor2d(raw.data as Float32Array, [n, raw.data.length / n]);
      const a = tf.reshape(tf.slice(rows, [0, 0], [n, len]), [n, ...image]);
      const waves = tf.slice(rows, [0, len], [n, -1]) as tf.Tensor2D;
      return { a, b: standardiseWith(mel.apply(waves), stats) };
    });
  } finally {
    mel.dispose();
  }
}

/**
 * Opens a paired folder (see the file comment).
 * @throws DataFormatError naming the file: a folder without images, an image without a partner
 *   (or with two), a folder mixing sound and text partners, a first image that cannot be read
 *   (it sets the size), an empty or unreadable text; with `strict`, any bad file.
 */
export async function openPairedFolder(root: string, options: PairedFolderOptions = {}): Promise<PairedFolder> {
  const log = options.log;
  const bad: BadFiles = options.badFiles ?? badFilesFor({ strict: options.strict, log }, 'pairs');
  const listing = listImageFolder(root, 'auto', log ? { log } : {});
  const n = Math.min(listing.files.length, options.limit ?? Number.POSITIVE_INFINITY);
  const files = listing.files.slice(0, n);
  if (files.length === 0) {
    throw new DataFormatError('no images found (a paired folder holds images, each with a .wav or .txt of its name)', {
      file: root,
    });
  }
  const partners = files.map(partnerOf);
  const kind = partners[0]!.kind;
  const odd = partners.findIndex((p) => p.kind !== kind);
  if (odd >= 0) {
    const what = (k: Partner['kind']) => (k === 'audio' ? 'a sound (.wav)' : 'a text (.txt)');
    throw new DataFormatError(
      `its partner is ${what(partners[odd]!.kind)}, but ${basename(files[0]!)}'s is ${what(kind)}; a folder holds one kind of pair`,
      { file: files[odd]! },
    );
  }
  const [h, w, c] = await imageShape(files[0]!, options);
  const images = await indexImageFolder(root, files, {
    size: [h, w],
    channels: c,
    cacheDir: options.cacheDir,
    say: log,
  });
  // The index sorts files by path: labels and partners follow each image.
  const rel = (f: string) => relative(root, f).split(sep).join('/');
  const stemOf = (p: string) => p.slice(0, p.length - extname(p).length);
  const labelOf = listing.labels ? new Map(files.map((f, i) => [rel(f), listing.labels![i]!] as const)) : undefined;
  const labels = labelOf ? Int32Array.from(images.paths, (p) => labelOf.get(p) ?? 0) : undefined;
  const folder = { files: images.size, labels, classNames: listing.classNames, sampleShape: [h, w, c] };
  const read: FolderDatasetOptions = {
    dataMode: options.dataMode,
    threshold: options.threshold,
    workers: options.workers,
    prefetch: options.prefetch,
    cacheDir: options.cacheDir,
    badFiles: bad,
    log,
  };

  if (kind === 'audio') {
    const sampleRate = options.sampleRate ?? PAIRED_SOUND_DEFAULTS.sampleRate;
    const seconds = options.clipSeconds ?? PAIRED_SOUND_DEFAULTS.clipSeconds;
    const clipSamples = Math.max(1, Math.round(sampleRate * seconds));
    const sounds = await indexWavCrops(
      root,
      partners.map((p) => p.file),
      { sampleRate, cropSamples: clipSamples, clip: true, cacheDir: options.cacheDir, say: log },
    );
    const soundAt = new Map(sounds.paths.map((p, j) => [p, j] as const));
    const soundOf = images.paths.map((p) => soundAt.get(`${stemOf(p)}.wav`)!);
    const config: PairedFolderReaderConfig = {
      image: images.spec,
      sound: sounds.spec,
      ...(soundOf.some((j, i) => j !== i) ? { soundOf } : {}),
    };
    const stats = await spectrogramStats(
      sounds.spec,
      sounds.size,
      sampleRate,
      options.statsClips ?? STATS_CLIPS,
      bad.strict,
    );
    const mel = clipLogMel(sampleRate);
    const shape = [mel.frames(clipSamples), mel.options.nMels, 1];
    mel.dispose();
    const dataset = await openFolderDataset<PairedBatch>(
      root,
      {
        ...folder,
        reader: { module: PAIRED_FOLDER_READER, config },
        assemble: (raw) => soundBatch(raw, [h, w, c], sampleRate, stats),
      },
      read,
    );
    return { dataset, partner: { kind, shape } };
  }

  const texts = images.paths.map((p) => join(root, ...`${stemOf(p)}.txt`.split('/')));
  const vocab = buildVocab(pairTexts(texts));
  const index = vocabIndex(vocab);
  const dataset = await openFolderDataset<PairedBatch>(
    root,
    {
      ...folder,
      reader: images.spec,
      // Row k was read from pair raw.used[k] (a bad image's replacement where one was needed): its text goes with it.
      assemble: (raw) => {
        const batch = Array.from(raw.used, (i) => readPairText(texts[i]!));
        return {
          a: tf.tensor4d(raw.data as Float32Array, [raw.used.length, h, w, c]),
          b: tokenBags(batch, index, vocab.length),
        };
      },
    },
    read,
  );
  return { dataset, partner: { kind, vocab } };
}
