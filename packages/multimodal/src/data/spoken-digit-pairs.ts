/**
 * Images of digits paired with spoken digits: MNIST images (data/mnist) and the espeak-ng
 * clips of data/spoken-digits (`npx autodidact data fetch mnist spoken-digits`). A pair is
 * each training image of digit d with a clip of digit d drawn once from the seed. The test side uses
 * MNIST's test images and the clips of the two held-out accents (`.splits/test`), so neither
 * an image nor a voice seen in training is scored.
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

/** Labelled samples of one modality: inputs `[n, ...]` and the class (digit) of each row. */
export interface LabelledTensor {
  x: tf.Tensor;
  labels: Int32Array;
}

/** Train and held-out test sides of both modalities. Dispose with {@link disposePairs}. */
export interface PairedSplits {
  /** Modality A (images) train/test. */
  a: { train: LabelledTensor; test: LabelledTensor };
  /** Modality B (audio spectrograms or text bags) train/test. */
  b: { train: LabelledTensor; test: LabelledTensor };
  /** Class names by index. */
  classNames: readonly string[];
}

/** Options of {@link loadDigitAudioPairs}. */
export interface DigitAudioOptions {
  /** Data root (containing mnist/ and spoken-digits/). */
  dataDir: string;
  /** MNIST training images to use (first n). Default 10000. */
  trainImages?: number;
  /** MNIST test images to use (first n). Default 1000. */
  testImages?: number;
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
  const [count, h, w] = images.shape as [number, number, number];
  const n = Math.min(limit, count);
  const x = tf.tidy(() => tf.div(tf.tensor4d(images.data.subarray(0, n * h * w), [n, h, w, 1], 'float32'), 255));
  return { x, labels: Int32Array.from(labels.data.subarray(0, n)) };
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
): Promise<{ x: tf.Tensor3D; labels: Int32Array }> {
  const ds = await loadWavFolder(folder, { sampleRate, clipSamples: sampleRate, requireLabels: true });
  const names = ds.classNames!;
  const labels = Int32Array.from(ds.labels!, (l) => DIGIT_WORDS.indexOf(names[l] as (typeof DIGIT_WORDS)[number]));
  if (labels.some((l) => l < 0)) {
    throw new ConfigError(`expected class folders named ${DIGIT_WORDS.join(', ')}, got ${names.join(', ')}`, {
      field: folder,
    });
  }
  const x = mel.apply(ds.inputs as tf.Tensor2D);
  ds.dispose();
  return { x, labels };
}

/**
 * Loads MNIST images and spoken-digit spectrograms, train and held-out test.
 * @throws ConfigError naming the missing set and the command that fetches it.
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
  const mnist = join(dataDir, 'mnist');
  const trainA = await loadIdxImages(
    idxFile(mnist, 'train-images-idx3-ubyte'),
    idxFile(mnist, 'train-labels-idx1-ubyte'),
    options.trainImages ?? 10000,
  );
  const testA = await loadIdxImages(
    idxFile(mnist, 't10k-images-idx3-ubyte'),
    idxFile(mnist, 't10k-labels-idx1-ubyte'),
    options.testImages ?? 1000,
  );
  // 25 ms frames with a 10 ms hop at the chosen rate.
  const mel = clipLogMel(sampleRate, options.nMels);
  const tr = await loadSpectrograms(join(splits, 'train'), sampleRate, mel);
  const te = await loadSpectrograms(join(splits, 'test'), sampleRate, mel);
  mel.dispose();
  // Standardise with the training clips' statistics only.
  const [trainB, testB] = standardiseSpectrograms(tr.x, te.x);
  tf.dispose([tr.x, te.x]);
  return {
    a: { train: trainA, test: testA },
    b: { train: { x: trainB!, labels: tr.labels }, test: { x: testB!, labels: te.labels } },
    classNames: DIGIT_WORDS,
  };
}
