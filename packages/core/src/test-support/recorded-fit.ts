/**
 * A Trainer run that records, after every step, its loss and the live tensor count: what the
 * method tests of every package check (the loss falls, nothing accumulates from step to step).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import {
  type Dataset,
  type Method,
  type StepInfo,
  type StreamingDataset,
  Trainer,
  type TrainerCallback,
  type TrainerOptions,
  type TrainResult,
} from '../index.js';

export interface RecordedFit {
  result: TrainResult;
  /** The loss of each step of this run. */
  losses: number[];
  /** `tf.memory().numTensors` after each step of this run. */
  tensorCounts: number[];
}

/** Trains `method` on `data` as `new Trainer(method, options, callbacks).fit(data)` does, recording every step. */
export async function recordedFit<B>(
  method: Method<B>,
  data: Dataset<B> | StreamingDataset<B>,
  options: Partial<TrainerOptions> & { batchSize: number },
  callbacks: TrainerCallback[] = [],
): Promise<RecordedFit> {
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  const record: TrainerCallback = {
    onStepEnd: (s: StepInfo) => {
      losses.push(s.loss);
      tensorCounts.push(tf.memory().numTensors);
    },
  };
  const result = await new Trainer(method, options, [record, ...callbacks]).fit(data);
  return { result, losses, tensorCounts };
}

/** The arithmetic mean. */
export const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** The mean loss of the first `n` steps and of the last `n`. */
export function lossEnds(losses: readonly number[], n: number): { first: number; last: number } {
  return { first: mean(losses.slice(0, n)), last: mean(losses.slice(-n)) };
}

/**
 * Expects the tensor count to stay the same from step `from` (0-based) to the end: the steps
 * before it may create the optimizer's slots and other lazily made state, later ones nothing.
 */
export function expectFlatTensorCount(tensorCounts: readonly number[], from: number): void {
  expect(tensorCounts.length, 'steps recorded').toBeGreaterThan(from);
  expect(new Set(tensorCounts.slice(from)).size, tensorCounts.join(',')).toBe(1);
}
