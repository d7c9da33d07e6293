/**
 * A folder of pairs, as `autodidact pretrain multimodal --data <folder>` reads it: every image
 * (PNG, JPEG, WebP, AVIF or TIFF) has its partner beside it under the same name, either a WAV
 * (`0001.png` + `0001.wav`: image and sound) or a text file (`0001.png` + `0001.txt`: image and
 * its description, the file's whole text). One folder holds one kind of pair. Images directly in
 * the folder are unlabelled; images in class subfolders (`<folder>/<class>/0001.png` with its
 * partner) carry their class, for the embedding map and the kNN monitor.
 *
 * Images are read with @autodidact/vision ({@link readImage}: one size and channel count for
 * all, as vision's folders), sounds with @autodidact/audio ({@link loadWavFolder}: mono,
 * resampled, centre-cropped or zero-padded to one length) and turned into the standardised
 * log-mel spectrograms of the spoken-digit pairing; texts become bags of tokens over the
 * vocabulary of the folder's own descriptions. Everything is held in memory.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { loadWavFolder } from '@autodidact/audio';
import { checkDataFile, DataFormatError, type EncoderConfig, unreadableFileError } from '@autodidact/core';
import { FOLDER_DEFAULT_SIZE, listImageFolder, probeImage, readImage } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { buildVocab, tokenBags, vocabIndex } from '../encoders/bag-of-tokens-encoder.js';
import { PairedDataset } from './paired-dataset.js';
import { clipLogMel, standardiseSpectrograms } from './spectrograms.js';

/** Folder images larger than this (either side) are fitted to vision's default folder size, as vision does. */
const MAX_NATIVE_SIDE = 96;
/** Images decoded at once. */
const DECODE_AHEAD = 8;

/** What the second tower reads: spectrograms `[frames, nMels, 1]`, or bags over the folder's vocabulary. */
export type Partner = { kind: 'audio'; shape: number[] } | { kind: 'text'; vocab: string[] };

/** Options of {@link loadPairedFolder}; every field has a default. */
export interface PairedFolderOptions {
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
  /** Notes on folders left out while listing. */
  log?: (line: string) => void;
}

/** A loaded paired folder: images as modality A, sounds or texts as modality B. */
export class PairedFolder extends PairedDataset {
  /** One image, `[height, width, channels]`. */
  readonly sampleShape: readonly number[];

  constructor(
    images: tf.Tensor4D,
    partnerRows: tf.Tensor | ((indices: readonly number[]) => tf.Tensor),
    /** What modality B is, for the method that builds its tower. */
    readonly partnerSpec: Partner,
    /** The image file of each pair, in sample order. */
    readonly files: readonly string[],
    labels: Int32Array | undefined,
    readonly classNames: readonly string[] | undefined,
    source: string,
  ) {
    super(images, partnerRows, labels, source);
    this.sampleShape = images.shape.slice(1);
  }
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

/** Decodes `files` to `[n, height, width, channels]` in [0, 1], a few at a time. */
async function readImages(files: readonly string[], shape: [number, number, 1 | 3]): Promise<tf.Tensor4D> {
  const [h, w, c] = shape;
  const per = h * w * c;
  const data = new Float32Array(files.length * per);
  for (let start = 0; start < files.length; start += DECODE_AHEAD) {
    const chunk = files.slice(start, start + DECODE_AHEAD);
    const decoded = await Promise.all(chunk.map((f) => readImage(f, { size: [h, w], channels: c })));
    decoded.forEach((img, j) => {
      const at = (start + j) * per;
      for (let k = 0; k < per; k++) data[at + k] = img.pixels[k]! / 255;
    });
  }
  return tf.tensor4d(data, [files.length, h, w, c]);
}

/**
 * Reads a paired folder.
 * @throws DataFormatError naming the file: a folder without images, an image without a partner
 *   (or with two), a folder mixing sound and text partners, an unreadable image, WAV or text.
 */
export async function loadPairedFolder(root: string, options: PairedFolderOptions = {}): Promise<PairedFolder> {
  const listing = listImageFolder(root, 'auto', options.log ? { log: options.log } : {});
  const n = Math.min(listing.files.length, options.limit ?? Number.POSITIVE_INFINITY);
  const files = listing.files.slice(0, n);
  if (files.length === 0) {
    throw new DataFormatError('no images found (a paired folder holds images, each with a .wav or .txt of its name)', {
      file: root,
    });
  }
  const labels = listing.labels?.slice(0, n);
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
  const shape = await imageShape(files[0]!, options);
  const partnerFiles = partners.map((p) => p.file);
  if (kind === 'audio') {
    const sampleRate = options.sampleRate ?? 8000;
    const clips = await loadWavFolder(root, {
      sampleRate,
      clipSamples: Math.round(sampleRate * (options.clipSeconds ?? 1)),
      listing: { files: partnerFiles },
    });
    const mel = clipLogMel(sampleRate);
    const spectrograms = mel.apply(clips.inputs as tf.Tensor2D);
    mel.dispose();
    clips.dispose();
    const [sounds] = standardiseSpectrograms(spectrograms);
    spectrograms.dispose();
    const images = await readImages(files, shape);
    const partner: Partner = { kind, shape: sounds!.shape.slice(1) };
    return new PairedFolder(images, sounds!, partner, files, labels, listing.classNames, root);
  }
  const texts: string[] = [];
  for (const f of partnerFiles) {
    checkDataFile(f); // an empty file or a FIFO is a bad file before any read
    let text: string;
    try {
      text = (await readFile(f, 'utf8')).trim();
    } catch (err) {
      throw unreadableFileError(f, err);
    }
    if (text === '') throw new DataFormatError('no text (only white space)', { file: f, reason: 'empty' });
    texts.push(text);
  }
  const vocab = buildVocab(texts);
  const index = vocabIndex(vocab);
  const images = await readImages(files, shape);
  const bags = (rows: readonly number[]) =>
    tokenBags(
      rows.map((r) => texts[r]!),
      index,
      vocab.length,
    );
  return new PairedFolder(images, bags, { kind, vocab }, files, labels, listing.classNames, root);
}
