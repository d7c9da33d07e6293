import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rot90 } from '../augment/rotation.js';
import { CONTEXT_NEIGHBOURS, contextBatch, resolveContextOptions, sampleContextPair } from './context.js';
import { cropPatches } from './crop-patches.js';
import { hammingDistance, jigsawBatch, maximalHammingPermutations } from './jigsaw.js';
import { rotationBatch } from './rotation.js';

// numpy references: tools/fixtures/vision/pretext_reference.py
const ref = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'fixtures', 'vision', 'pretext_reference.json'),
    'utf8',
  ),
);

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe('rotation', () => {
  it('rotates by quarter turns (rot90, what rotationBatch uses) as np.rot90 over the image axes', () => {
    const x = tf.tensor4d(ref.rotate.input);
    for (const k of [0, 1, 2, 3]) {
      const y = rot90(x, k);
      expect(y.arraySync(), `k=${k}`).toEqual(ref.rotate.k[String(k)]);
      y.dispose();
    }
    const back = rot90(x, -1);
    expect(back.arraySync()).toEqual(ref.rotate.k['3']);
    tf.dispose([x, back]);
  });

  it('stacks all four rotations with their labels and refuses non-square images', () => {
    const x = tf.tensor4d(ref.rotate.input);
    const { images, labels } = rotationBatch(x);
    expect(images.shape).toEqual([8, 4, 4, 2]);
    expect(labels).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    const arr = images.arraySync();
    expect(arr.slice(4, 6)).toEqual(ref.rotate.k['2']);
    tf.dispose([x, images]);
    const rect = tf.zeros([1, 4, 3, 1]) as tf.Tensor4D;
    expect(() => rotationBatch(rect)).toThrow(/square/);
    rect.dispose();
  });
});

it('crops exact patches as numpy slicing, and refuses boxes outside the image', () => {
  const x = tf.tensor4d(ref.crop.input);
  const y = cropPatches(x, ref.crop.boxes, ref.crop.size);
  expect(y.arraySync()).toEqual(ref.crop.output);
  expect(() => cropPatches(x, [{ image: 0, top: 4, left: 0 }], 3)).toThrow(/does not fit/);
  tf.dispose([x, y]);
});

describe('context prediction geometry', () => {
  it('keeps every patch inside the image, separated by the gap less the jitter, in the labelled direction', () => {
    const rng = new Rng(7);
    const o = { patch: 7, gap: 2, jitter: 1 };
    const seen = new Set<number>();
    for (let t = 0; t < 2000; t++) {
      const { centre, neighbour, label } = sampleContextPair(28, 28, rng, o);
      seen.add(label);
      for (const p of [centre, neighbour]) {
        expect(p.top).toBeGreaterThanOrEqual(0);
        expect(p.left).toBeGreaterThanOrEqual(0);
        expect(p.top + o.patch).toBeLessThanOrEqual(28);
        expect(p.left + o.patch).toBeLessThanOrEqual(28);
      }
      const [row, col] = CONTEXT_NEIGHBOURS[label]!;
      const dy = neighbour.top - centre.top;
      const dx = neighbour.left - centre.left;
      // the nominal offset is (row - 1, col - 1) cells of patch + gap, moved by up to 2 jitters
      expect(Math.abs(dy - (row - 1) * (o.patch + o.gap))).toBeLessThanOrEqual(2 * o.jitter);
      expect(Math.abs(dx - (col - 1) * (o.patch + o.gap))).toBeLessThanOrEqual(2 * o.jitter);
      // the patches never touch: along the axis they are apart, the gap left is >= gap - 2 jitter
      const apartY = row !== 1 ? Math.abs(dy) - o.patch : Number.POSITIVE_INFINITY;
      const apartX = col !== 1 ? Math.abs(dx) - o.patch : Number.POSITIVE_INFINITY;
      expect(Math.min(apartY, apartX)).toBeGreaterThanOrEqual(o.gap - 2 * o.jitter);
    }
    expect(seen.size).toBe(8);
  });

  it('jitters: the centre patch is not always at the same place', () => {
    const rng = new Rng(8);
    const tops = new Set(Array.from({ length: 200 }, () => sampleContextPair(28, 28, rng).centre.top));
    expect(tops.size).toBeGreaterThan(2);
  });

  it('cuts one pair per image and checks the grid fits', () => {
    const x = tf.randomUniform([5, 28, 28, 1]) as tf.Tensor4D;
    const b = contextBatch(x, new Rng(9));
    expect(b.centres.shape).toEqual([5, 7, 7, 1]);
    expect(b.neighbours.shape).toEqual([5, 7, 7, 1]);
    expect(b.labels.length).toBe(5);
    tf.dispose([x, b.centres, b.neighbours]);
    expect(() => resolveContextOptions(20, 20, { patch: 7 })).toThrow(/needs 27 px/);
  });
});

describe('jigsaw', () => {
  it('arranges tiles in permutation order as numpy', () => {
    const x = tf.tensor4d(ref.jigsaw.input);
    const rng = new Rng(10);
    for (let t = 0; t < 6; t++) {
      const { tiles, labels } = jigsawBatch(x, ref.jigsaw.permutations, rng, { grid: 3, tile: 3 });
      expect(tiles.arraySync()).toEqual(ref.jigsaw.tiles[labels[0]!]);
      tiles.dispose();
    }
    x.dispose();
  });

  it('chooses distinct permutations far apart: farther than random ones, and deterministic per seed', () => {
    const minPairwise = (ps: number[][]) => {
      let m = Number.POSITIVE_INFINITY;
      for (let i = 0; i < ps.length; i++)
        for (let j = i + 1; j < ps.length; j++) m = Math.min(m, hammingDistance(ps[i]!, ps[j]!));
      return m;
    };
    const set = maximalHammingPermutations(32, 9, new Rng(0));
    expect(set.length).toBe(32);
    for (const p of set) expect([...p].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const rng = new Rng(1);
    const random = Array.from({ length: 32 }, () => rng.permutation(9));
    expect(minPairwise(set)).toBeGreaterThan(minPairwise(random));
    expect(minPairwise(set)).toBeGreaterThanOrEqual(7);
    expect(maximalHammingPermutations(32, 9, new Rng(0))).toEqual(set);
    // 4 tiles: all 24 permutations, or 4 pairwise maximally distant ones (a Latin square)
    expect(new Set(maximalHammingPermutations(24, 4, new Rng(2)).map(String)).size).toBe(24);
    expect(minPairwise(maximalHammingPermutations(4, 4, new Rng(3)))).toBe(4);
    expect(() => maximalHammingPermutations(25, 4, new Rng(0))).toThrow(/1\.\.24/);
  });
});
