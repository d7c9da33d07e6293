/**
 * Random-dot stereograms as a {@link Dataset} the Trainer draws from: sample i is the one
 * stereogram {@link randomDotStereograms} makes from a seed mixed from (`seed`, i), generated
 * when a batch asks for it, so a set of any size costs no memory and a resumed run sees the
 * samples an uninterrupted one would. A batch is the two modules' inputs `{ a, b }`.
 */
import { ConfigError, type Dataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { randomDotStereograms, type StereogramOptions } from './random-dot.js';

/** The two neighbouring patches of a batch of stereograms, `[batch, 2 * patchWidth]` each. */
export interface PatchPair {
  /** Module A's input (patch A, left eye then right eye). */
  a: tf.Tensor2D;
  /** Module B's input (the neighbouring patch B). */
  b: tf.Tensor2D;
}

/** The seed of sample `index` of a set seeded `seed` (distinct sets for distinct seeds). */
export function stereogramSampleSeed(seed: number, index: number): number {
  return (Math.imul(seed + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}

/** `size` seeded stereograms, generated per batch. */
export class StereogramDataset implements Dataset<PatchPair> {
  /** Width of one module's input (`2 * patchWidth`). */
  readonly inputSize: number;
  readonly sampleShape: readonly number[];

  /** @throws ConfigError for a size that is not a positive integer, or bad stereogram options. */
  constructor(
    readonly size: number,
    readonly seed: number,
    readonly options: StereogramOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new ConfigError(`expected a positive integer, got ${size}`, { field: 'stereograms.size' });
    }
    this.inputSize = randomDotStereograms(1, seed, options).inputSize;
    this.sampleShape = [this.inputSize];
  }

  getBatch(indices: readonly number[]): PatchPair {
    const n = this.inputSize;
    const a = new Float32Array(indices.length * n);
    const b = new Float32Array(indices.length * n);
    indices.forEach((index, row) => {
      const s = randomDotStereograms(1, stereogramSampleSeed(this.seed, index), this.options);
      a.set(s.a, row * n);
      b.set(s.b, row * n);
    });
    return { a: tf.tensor2d(a, [indices.length, n]), b: tf.tensor2d(b, [indices.length, n]) };
  }
}
