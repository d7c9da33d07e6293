import { ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { classPrototypes, retrieval, zeroShotAccuracy } from './zero-shot.js';

describe('zero-shot and retrieval', () => {
  it('prototypes are the normalised means of normalised class members', () =>
    tf.tidy(() => {
      // class 0: (2,0) and (0,3) -> normalised mean direction (1,1)/sqrt 2; class 1: (0,-1)
      const emb = tf.tensor2d([2, 0, 0, 3, 0, -5], [3, 2]);
      const p = classPrototypes(emb, Int32Array.from([0, 0, 1]), 2).arraySync();
      expect(p[0]![0]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(p[0]![1]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(p[1]).toEqual([0, -1]);
    }));

  it('zero-shot accuracy counts queries nearest to their own class prototype', () =>
    tf.tidy(() => {
      const support = tf.tensor2d([1, 0, 0, 1], [2, 2]);
      const queries = tf.tensor2d([0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.1, 0.9], [4, 2]);
      // predictions 0, 1, 0, 1; labels 0, 1, 1, 1 -> 3 of 4
      expect(zeroShotAccuracy(queries, Int32Array.from([0, 1, 1, 1]), support, Int32Array.from([0, 1]), 2)).toBe(0.75);
    }));

  it('recall@k: perfect for identical galleries, by rank otherwise', () =>
    tf.tidy(() => {
      const x = tf.eye(4) as tf.Tensor2D;
      const perfect = retrieval(x, x, Int32Array.from([0, 1, 2, 3]), [1, 2]);
      expect(perfect.recall).toEqual({ 1: 1, 2: 1 });
      expect(perfect.chance).toEqual({ 1: 0.25, 2: 0.5 });
      // Gallery row j is e_(j+1 mod 4), so query i's top-1 is row i-1 and its own pair scores 0.
      const shifted = tf.tensor2d([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], [4, 4]);
      const r = retrieval(x, shifted, Int32Array.from([0, 0, 1, 1]), [1]);
      // query i is most similar to gallery row i-1 (mod 4); own row has similarity 0
      expect(r.recall[1]).toBe(0);
      // top-1 classes vs own: q0 -> row 3 (1 vs 0), q1 -> row 0 (0 vs 0), q2 -> row 1 (0 vs 1), q3 -> row 2 (1 vs 1)
      expect(r.classPrecision1).toBe(0.5);
      expect(() => retrieval(x, shifted, Int32Array.from([0]))).toThrow(ShapeError);
    }));
});
