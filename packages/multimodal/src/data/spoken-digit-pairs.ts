/**
 * Images of digits paired with spoken digits: MNIST images (data/mnist) and the espeak-ng
 * clips of data/spoken-digits (`npx autodidact data fetch mnist spoken-digits`). A pair is
 * each training image of digit d with a clip of digit d drawn once from the seed. The splits
 * are the evaluation protocol's (docs/protocol.md): training images are MNIST training images
 * 0-49,999 and the clips of `.splits/train` without the {@link CLIP_VALIDATION_ACCENT} voice;
 * the validation side is training images 50,000-59,999 and that voice's clips; the test side
 * is MNIST's test images and the clips of the two held-out accents (`.splits/test`), so neither
 * an image nor a voice seen in training is scored. Scoring validation never opens a test file.
 *
 * Audio enters as a log-mel spectrogram image `[frames, nMels, 1]` (computed once with
 * @autodidact/audio's {@link LogMel}, standardised with the training statistics), so the audio
 * tower can be a small conv net.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type LogMel, loadWavFolder } from '@autodidact/audio';
import { ConfigError } from '@autodidact/core';
import { readIdx } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { clipLogMel, standardiseSpectrograms } from './spectrograms.js';

/** Spoken-digit folder names -> digit value. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** Which held-out side is scored: `validation` to choose settings, `test` to report. */
export type ClipEvaluation = 'validation' | 'test';

/**
 * The spoken-digit accent held out of the training clips as the validation voice (the
 * evaluation protocol's, SPLITS['spoken-digits'] in tools/bench/protocol/splits.ts).
 */
export const CLIP_VALIDATION_ACCENT = 'en-gb-x-rp';

/** A spoken-digit clip's accent: the first `_` field of its file name. */
export function accentOf(file: string): string {
  return basename(file).split('_')[0]!;
}

/** First training-file row of the validation images: 50,000 of a full 60,000-image file, else its last sixth. */
export function validationStart(trainFileRows: number): number {
  return trainFileRows >= 60_000 ? 50_000 : Math.floor((trainFileRows * 5) / 6);
}

/** Labelled samples of one modality: inputs `[n, ...]` and the class (digit) of each row. */
export interface LabelledTensor {
  x: tf.Tensor;
  labels: Int32Array;
}

/**
 * Train and held-out sides of both modalities. Dispose with {@link disposePairs}. The held-out
 * side (`test`) holds the test split, or the validation split when `evaluated` says so.
 */
export interface PairedSplits {
  /** Modality A (images) train/held-out. */
  a: { train: LabelledTensor; test: LabelledTensor };
  /** Modality B (audio spectrograms or text bags) train/held-out. */
  b: { train: LabelledTensor; test: LabelledTensor };
  /** Class names by index. */
  classNames: readonly string[];
  /** The split in the `test` fields (absent: test). */
  evaluated?: ClipEvaluation;
}

/** Options of {@link loadDigitAudioPairs}. */
export interface DigitAudioOptions {
  /** Data root (containing mnist/ and spoken-digits/). */
  dataDir: string;
  /** MNIST training images to use (first n, at most the training split's 50,000). Default 10000. */
  trainImages?: number;
  /** Held-out images to use (first n of the test file, or of the validation images). Default 1000. */
  testImages?: number;
  /** Which held-out side fills `test`: `validation` never opens a test file. Default 'test'. */
  evaluate?: ClipEvaluation;
  /** Audio sample rate after resampling; clips are 1 s. Default 8000. */
  sampleRate?: number;
  /** Mel bands. Default 32. */
  nMels?: number;
}

/** Disposes every tensor of a {@link PairedSplits}. */
export function disposePairs(p: PairedSplits): void {
  tf.dispose([p.a.train.x, p.a.test.x, p.b.train.x, p.b.test.x]);
}

/** MNIST-style IDX images as `[n, 28, 28, 1]` in [0, 1] with labels (first `limit` rows). */
export async function loadIdxImages(imagesFile: string, labelsFile: string, limit: number): Promise<LabelledTensor> {
  const images = await readIdx(imagesFile);
  const labels = await readIdx(labelsFile);
  return idxRows(images, labels, 0, limit);
}

type Idx = Awaited<ReturnType<typeof readIdx>>;

/** Rows `start .. start + limit` (capped at `end`) of IDX images and labels. */
function idxRows(images: Idx, labels: Idx, start: number, limit: number, end = images.shape[0]!): LabelledTensor {
  const [, h, w] = images.shape as [number, number, number];
  const n = Math.max(0, Math.min(limit, end - start));
  const px = h * w;
  const x = tf.tidy(() =>
    tf.div(tf.tensor4d(images.data.subarray(start * px, (start + n) * px), [n, h, w, 1], 'float32'), 255),
  );
  return { x, labels: Int32Array.from(labels.data.subarray(start, start + n)) };
}

/**
 * The training images (first `trainImages` of training rows 0-49,999) and the held-out images
 * (first `heldOutImages` of the validation rows 50,000-59,999, or of the test file) of an MNIST-
 * style folder; `validation` never opens the test file.
 */
export async function loadImageSplits(
  dir: string,
  trainImages: number,
  heldOutImages: number,
  evaluate: ClipEvaluation = 'test',
): Promise<{ train: LabelledTensor; test: LabelledTensor }> {
  const images = await readIdx(idxFile(dir, 'train-images-idx3-ubyte'));
  const labels = await readIdx(idxFile(dir, 'train-labels-idx1-ubyte'));
  const end = validationStart(images.shape[0]!);
  const train = idxRows(images, labels, 0, trainImages, end);
  const test =
    evaluate === 'validation'
      ? idxRows(images, labels, end, heldOutImages)
      : await loadIdxImages(
          idxFile(dir, 't10k-images-idx3-ubyte'),
          idxFile(dir, 't10k-labels-idx1-ubyte'),
          heldOutImages,
        );
  return { train, test };
}

/** Finds an IDX file as given or gzipped. */
export function idxFile(dir: string, name: string): string {
  for (const f of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(f)) return f;
  throw new ConfigError(`${name}[.gz] is not in ${dir}; fetch it with: npx autodidact data fetch ${basename(dir)}`, {
    field: 'dataDir',
  });
}

async function loadSpectrograms(
  folder: string,
  sampleRate: number,
  mel: LogMel,
): Promise<{ x: tf.Tensor3D; labels: Int32Array; files: readonly string[] }> {
  const ds = await loadWavFolder(folder, { sampleRate, clipSamples: sampleRate, requireLabels: true });
  const names = ds.classNames!;
  const labels = Int32Array.from(ds.labels!, (l) => DIGIT_WORDS.indexOf(names[l] as (typeof DIGIT_WORDS)[number]));
  if (labels.some((l) => l < 0)) {
    throw new ConfigError(`expected class folders named ${DIGIT_WORDS.join(', ')}, got ${names.join(', ')}`, {
      field: folder,
    });
  }
  const x = mel.apply(ds.inputs as tf.Tensor2D);
  const files = ds.files;
  ds.dispose();
  return { x, labels, files };
}

/** Rows `idx` of spectrograms and labels. */
function pick(
  s: { x: tf.Tensor3D; labels: Int32Array },
  idx: readonly number[],
): { x: tf.Tensor3D; labels: Int32Array } {
  return {
    x: tf.tidy(() => tf.gather(s.x, tf.tensor1d(idx as number[], 'int32'))),
    labels: Int32Array.from(idx, (i) => s.labels[i]!),
  };
}

/**
 * Loads MNIST images and spoken-digit spectrograms, train and held-out (test, or validation
 * under `evaluate: 'validation'`, which opens no test file). The training clips are
 * `.splits/train` without the {@link CLIP_VALIDATION_ACCENT} voice, whose clips are the
 * validation side; spectrograms are standardised with the training clips' statistics only.
 * @throws ConfigError naming the missing set and the command that fetches it, or a training
 * folder without validation clips under `evaluate: 'validation'`.
 */
export async function loadDigitAudioPairs(options: DigitAudioOptions): Promise<PairedSplits> {
  const { dataDir } = options;
  const sampleRate = options.sampleRate ?? 8000;
  const splits = join(dataDir, 'spoken-digits', '.splits');
  if (!existsSync(join(splits, 'train'))) {
    throw new ConfigError(
      `spoken-digits is not in ${dataDir}; fetch it with: npx autodidact data fetch spoken-digits`,
      {
        field: 'dataDir',
      },
    );
  }
  const evaluate = options.evaluate ?? 'test';
  const images = await loadImageSplits(
    join(dataDir, 'mnist'),
    options.trainImages ?? 10000,
    options.testImages ?? 1000,
    evaluate,
  );
  // 25 ms frames with a 10 ms hop at the chosen rate.
  const mel = clipLogMel(sampleRate, options.nMels);
  const all = await loadSpectrograms(join(splits, 'train'), sampleRate, mel);
  const isValidation = all.files.map((f) => accentOf(f) === CLIP_VALIDATION_ACCENT);
  const rows = (keep: boolean) => [...isValidation.keys()].filter((i) => isValidation[i] === keep);
  if (evaluate === 'validation' && rows(true).length === 0) {
    mel.dispose();
    tf.dispose([all.x, images.train.x, images.test.x]);
    throw new ConfigError(
      `no clips of the ${CLIP_VALIDATION_ACCENT} voice (the validation side) in ${join(splits, 'train')}`,
      {
        field: 'dataDir',
      },
    );
  }
  const tr = pick(all, rows(false));
  const te =
    evaluate === 'validation' ? pick(all, rows(true)) : await loadSpectrograms(join(splits, 'test'), sampleRate, mel);
  tf.dispose(all.x);
  mel.dispose();
  // Standardise with the training clips' statistics only.
  const [trainB, testB] = standardiseSpectrograms(tr.x, te.x);
  tf.dispose([tr.x, te.x]);
  return {
    a: images,
    b: { train: { x: trainB!, labels: tr.labels }, test: { x: testB!, labels: te.labels } },
    classNames: DIGIT_WORDS,
    evaluated: evaluate,
  };
}
