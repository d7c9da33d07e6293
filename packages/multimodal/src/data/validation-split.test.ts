/**
 * The CLIP experiments' validation split (docs/protocol.md): scoring validation opens no test
 * file (the data tree here has none: MNIST / Fashion-MNIST without t10k, spoken digits without
 * `.splits/test`), validation images are training rows 50,000 on, and the validation voice's
 * clips never enter training, whose statistics alone standardise the spectrograms.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, env, initBackend } from '@autodidact/core';
import { readIdx } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../core/src/test-support/temp-dirs.js';
import { runClipExperiment } from '../experiments.js';
import { loadFashionImages, TEST_TEMPLATES, TRAIN_TEMPLATES, VALIDATION_TEMPLATES } from './class-descriptions.js';
import {
  accentOf,
  CLIP_VALIDATION_ACCENT,
  DIGIT_WORDS,
  idxFile,
  loadDigitAudioPairs,
  validationStart,
} from './spoken-digit-pairs.js';

const dataDir = env.dataDir ?? join(import.meta.dirname, '..', '..', '..', '..', 'data');
const have = (set: string) => existsSync(join(dataDir, set));
const haveDigits = have('mnist') && existsSync(join(dataDir, 'spoken-digits', '.splits', 'train'));
const haveFashion = have('fashion-mnist');
const tempDir = tempDirs();

/** Links `set`'s training IDX files (and nothing else) into `root/set`. */
function linkTrainingImages(root: string, set: string): void {
  const dir = join(root, set);
  mkdirSync(dir, { recursive: true });
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) {
    const f = idxFile(join(dataDir, set), name);
    symlinkSync(f, join(dir, f.split('/').at(-1)!));
  }
}

/** Links the first `perAccent` clips of each accent of each digit of `.splits/train`; no `.splits/test`. */
function linkTrainingClips(root: string, perAccent: number, accents?: readonly string[]): string[] {
  const linked: string[] = [];
  for (const word of DIGIT_WORDS) {
    const from = join(dataDir, 'spoken-digits', '.splits', 'train', word);
    const to = join(root, 'spoken-digits', '.splits', 'train', word);
    mkdirSync(to, { recursive: true });
    const taken = new Map<string, number>();
    for (const f of readdirSync(from).sort()) {
      const a = accentOf(f);
      if (accents && !accents.includes(a)) continue;
      if ((taken.get(a) ?? 0) >= perAccent) continue;
      taken.set(a, (taken.get(a) ?? 0) + 1);
      symlinkSync(join(from, f), join(to, f));
      linked.push(f);
    }
  }
  return linked;
}

describe('CLIP validation split', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('the validation templates share no template with the training or test ones', () => {
    for (const t of VALIDATION_TEMPLATES) {
      expect(TRAIN_TEMPLATES).not.toContain(t);
      expect(TEST_TEMPLATES).not.toContain(t);
    }
    expect(VALIDATION_TEMPLATES.length).toBeGreaterThan(1);
  });

  it('validation images start at training row 50,000 (the last sixth of a shortened file)', () => {
    expect(validationStart(60_000)).toBe(50_000);
    expect(validationStart(600)).toBe(500);
  });

  it.skipIf(!haveDigits)(
    'digits-audio: validation opens no test file; its voice is not in training; training statistics only',
    async () => {
      const root = await tempDir('clip-val-');
      linkTrainingImages(root, 'mnist');
      const linked = linkTrainingClips(root, 2);
      const accents = new Set(linked.map(accentOf));
      expect(accents.has(CLIP_VALIDATION_ACCENT)).toBe(true);
      expect(accents.size).toBeGreaterThan(1);
      const before = tf.memory().numTensors;
      const p = await loadDigitAudioPairs({ dataDir: root, trainImages: 300, testImages: 50, evaluate: 'validation' });
      try {
        expect(p.evaluated).toBe('validation');
        // Validation images are rows 50,000.. of the training file, training images rows 0..
        const labels = await readIdx(idxFile(join(dataDir, 'mnist'), 'train-labels-idx1-ubyte'));
        const start = validationStart(labels.shape[0]!);
        expect([...p.a.test.labels]).toEqual([...labels.data.subarray(start, start + 50)]);
        expect([...p.a.train.labels]).toEqual([...labels.data.subarray(0, 300)]);
        // The validation voice's clips are the held-out side; every other accent trains.
        const rp = linked.filter((f) => accentOf(f) === CLIP_VALIDATION_ACCENT).length;
        expect(p.b.test.x.shape[0]).toBe(rp);
        expect(p.b.train.x.shape[0]).toBe(linked.length - rp);
        // Standardised with the training clips' mean and spread.
        const { mean, variance } = tf.tidy(() => tf.moments(p.b.train.x));
        expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(1e-3);
        expect(Math.abs(variance.dataSync()[0]! - 1)).toBeLessThan(1e-2);
        tf.dispose([mean, variance]);
      } finally {
        tf.dispose([p.a.train.x, p.a.test.x, p.b.train.x, p.b.test.x]);
      }
      expect(tf.memory().numTensors).toBe(before);
      // The tree really lacks the test side: scoring test fails on it.
      await expect(loadDigitAudioPairs({ dataDir: root, trainImages: 300, testImages: 50 })).rejects.toThrow(
        ConfigError,
      );
    },
    120_000,
  );

  it.skipIf(!haveDigits)(
    'digits-audio: validation without clips of the validation voice is a ConfigError',
    async () => {
      const root = await tempDir('clip-val-');
      linkTrainingImages(root, 'mnist');
      linkTrainingClips(root, 1, ['en-us']);
      await expect(
        loadDigitAudioPairs({ dataDir: root, trainImages: 100, testImages: 10, evaluate: 'validation' }),
      ).rejects.toThrow(/en-gb-x-rp/);
    },
  );

  it.skipIf(!haveDigits)(
    'runClipExperiment scores validation on a tree without test files (both pairings)',
    async () => {
      const root = await tempDir('clip-val-');
      linkTrainingImages(root, 'mnist');
      linkTrainingClips(root, 1);
      const tiny = { steps: 2, batchSize: 16, width: 4, trainImages: 200, testImages: 60, retrievalPairs: 20 };
      const r = await runClipExperiment('digits-audio', { dataDir: root, ...tiny, evaluate: 'validation' });
      expect(r.evaluated).toBe('validation');
      expect(r.steps).toBe(2);
      if (haveFashion) {
        linkTrainingImages(root, 'fashion-mnist');
        const f = await runClipExperiment('fashion-text', { dataDir: root, ...tiny, evaluate: 'validation' });
        expect(f.evaluated).toBe('validation');
        await expect(loadFashionImages(root, 10, 10)).rejects.toThrow(/t10k/);
      }
    },
    120_000,
  );
});
