import type * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';

/** Integer class labels, one per row. */
export type Labels = Int32Array | readonly number[];

/** Frozen features and labels a probe is fitted and scored on. Probes do not dispose them. */
export interface ProbeData {
  /** Training features `[nTrain, dim]`. */
  trainX: tf.Tensor2D;
  trainY: Labels;
  /** Test features `[nTest, dim]`. */
  testX: tf.Tensor2D;
  testY: Labels;
  /** Number of classes. Default: 1 + the largest label in either set. */
  numClasses?: number;
}

/** What a probe reports. */
export interface ProbeResult {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Accuracy on the training set (for kNN: leave-one-out, see knnProbe). */
  trainAccuracy: number;
  nTrain: number;
  nTest: number;
  numClasses: number;
  /** Predicted class of every test sample. */
  predictions: Int32Array;
}

/** Checks shapes and labels of probe data and returns the labels as Int32Arrays and the class count. */
export function checkProbeData(data: ProbeData): { trainY: Int32Array; testY: Int32Array; numClasses: number } {
  const { trainX, testX } = data;
  if (trainX.rank !== 2 || testX.rank !== 2 || trainX.shape[1] !== testX.shape[1]) {
    throw new ShapeError(`probe features must be [n, dim] with one dim, got [${trainX.shape}] and [${testX.shape}]`);
  }
  if (trainX.shape[0] === 0 || testX.shape[0] === 0)
    throw new ConfigError('probe needs at least one training and one test sample');
  const trainY = Int32Array.from(data.trainY);
  const testY = Int32Array.from(data.testY);
  if (trainY.length !== trainX.shape[0]) {
    throw new ShapeError(`trainY has ${trainY.length} labels for ${trainX.shape[0]} training rows`);
  }
  if (testY.length !== testX.shape[0])
    throw new ShapeError(`testY has ${testY.length} labels for ${testX.shape[0]} test rows`);
  let max = -1;
  for (const y of [...trainY, ...testY]) {
    if (y < 0) throw new ConfigError(`labels must be non-negative integers, got ${y}`, { field: 'labels' });
    max = Math.max(max, y);
  }
  const numClasses = data.numClasses ?? max + 1;
  if (!Number.isInteger(numClasses) || numClasses <= max) {
    throw new ConfigError(`numClasses ${numClasses} does not cover label ${max}`, { field: 'numClasses' });
  }
  return { trainY, testY, numClasses };
}

/** Fraction of positions where `pred` equals `truth`. */
export function accuracyOf(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) hits++;
  return truth.length === 0 ? 0 : hits / truth.length;
}
