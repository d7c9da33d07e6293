import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { HeldOut, evaluationSet, testReads } from './held-out.js';
import { beats, formatDifference, marginOf } from './margin.js';
import { probeFeatures } from './probes.js';
import { formatMeanStd, meanStd, parseSeeds } from './stats.js';

describe('protocol: seeds and mean ± std', () => {
  it('sample std over seeds', () => {
    const r = meanStd([0.9, 0.92, 0.94]);
    expect(r.mean).toBeCloseTo(0.92, 12);
    expect(r.std).toBeCloseTo(0.02, 12);
    expect(formatMeanStd([0.9, 0.92, 0.94])).toBe('0.920 ± 0.020');
    expect(formatMeanStd([0.5])).toBe('0.500');
    expect(formatMeanStd([0.912, 0.914], 1, 100)).toBe('91.3 ± 0.1');
  });
  it('--seeds as a count or a list', () => {
    expect(parseSeeds('3')).toEqual([0, 1, 2]);
    expect(parseSeeds('4,7')).toEqual([4, 7]);
    expect(() => parseSeeds('x')).toThrow(/--seeds/);
  });
});

describe('protocol: the margin rule', () => {
  it('needs the mean difference above 0.02 and above 2 pooled std', () => {
    // difference 0.03 > 0.02, pooled std 0.001: beats.
    expect(beats([0.83, 0.831, 0.829], [0.8, 0.801, 0.799])).toBe(true);
    // difference 0.015: below the floor however tight the seeds.
    expect(beats([0.815, 0.815, 0.815], [0.8, 0.8, 0.8])).toBe(false);
    // exactly the minimum difference is a tie, not a win, though 0.73 - 0.71 > 0.02 in floating point.
    expect(0.73 - 0.71 > 0.02).toBe(true);
    expect(beats([0.73, 0.73, 0.73], [0.71, 0.71, 0.71])).toBe(false);
    expect(beats([0.7301, 0.7301, 0.7301], [0.71, 0.71, 0.71])).toBe(true);
    // difference 0.05 but seed spread 0.04 each: threshold 0.08, does not beat.
    const noisy = marginOf([0.85, 0.81, 0.89], [0.8, 0.76, 0.84]);
    expect(noisy.difference).toBeCloseTo(0.05, 10);
    expect(noisy.threshold).toBeCloseTo(0.08, 10);
    expect(noisy.beats).toBe(false);
  });

  it('prints a difference that rounds to the threshold with enough digits to tell them apart', () => {
    expect(formatDifference(0.0234, 0.02, true)).toBe('+0.023');
    expect(formatDifference(0.02004, 0.02, true)).toBe('+0.02004');
    expect(formatDifference(-0.011, 0.02)).toBe('-0.011');
  });
});

describe('protocol: the test split', () => {
  it('is read once per label, logged, and never on a validation run', () => {
    const test = new HeldOut('toy', { n: 3 });
    const splits = { train: { n: 1 }, validation: { n: 2 }, test };
    const before = testReads.length;
    expect(evaluationSet(splits, 'validation', 'a', (d) => d.n)).toBe(2);
    expect(testReads.length).toBe(before);
    expect(evaluationSet(splits, 'test', 'a', (d) => d.n)).toBe(3);
    expect(testReads.at(-1)).toMatchObject({ dataset: 'toy', label: 'a' });
    expect(() => test.report('a', (d) => d.n)).toThrow(/already read/);
    expect(test.reads).toEqual(['a']);
  });
});

describe('protocol: probes', () => {
  it('linear, kNN k=20 and k=200 on separable features; no tensors left', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]);
    const y = rows.map((_, i) => i % 3);
    const x = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const s = await probeFeatures(x, y, x, y, 0);
    expect(tf.memory().numTensors).toBe(before);
    expect(s).toEqual({ linear: 1, knn20: 1, knn200: 1 });
    x.dispose();
  });
});

describe('protocol: TF-IDF features', () => {
  it('fits the vocabulary on the training documents only; rows are unit length', async () => {
    const { fitTfidf } = await import('./tfidf.js');
    const f = fitTfidf([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'b', 'b'],
    ]);
    const x = f([['b', 'b', 'a'], ['zzz']]);
    const [r0, r1] = x.arraySync() as number[][];
    expect(Math.hypot(...r0!)).toBeCloseTo(1, 5);
    // 'a' is in every training document: idf ln(4/4) = 0; 'b' carries the row.
    expect(r0!.filter((v) => v > 0).length).toBe(1);
    expect(r1!.every((v) => v === 0)).toBe(true);
    x.dispose();
  });
});

describe('protocol: the spoken-digit validation voice', () => {
  it("is the CLIP experiments' validation voice, and apart from the training and test accents", async () => {
    const { existsSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { accentOf, CLIP_VALIDATION_ACCENT } = await import('@autodidact/multimodal');
    const { dataRoot, VALIDATION_ACCENT } = await import('./splits.js');
    expect(CLIP_VALIDATION_ACCENT).toBe(VALIDATION_ACCENT);
    const dir = join(dataRoot(), 'spoken-digits', '.splits');
    if (!existsSync(join(dir, 'train'))) return;
    const accents = (side: string) =>
      new Set(readdirSync(join(dir, side)).flatMap((w) => readdirSync(join(dir, side, w)).map(accentOf)));
    const train = accents('train');
    expect(train.has(VALIDATION_ACCENT)).toBe(true);
    train.delete(VALIDATION_ACCENT);
    expect(train.size).toBe(5);
    const test = accents('test');
    for (const a of test) expect(train.has(a) || a === VALIDATION_ACCENT).toBe(false);
  });
});
