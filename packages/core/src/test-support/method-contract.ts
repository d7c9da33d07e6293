/**
 * The checks every registered method must pass, whatever its modality: a few Trainer steps with
 * finite losses that change the trainable variables and leave no tensors behind, the registry's
 * minimum batch size equal to the method's, unique state names that hold the encoder's
 * variables (so checkpoints restore it), and one embedding row per sample.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { BatchSizeMinimum, Dataset, Method, TrainerOptions } from '../index.js';
import { expectFlatTensorCount, recordedFit } from './recorded-fit.js';

export async function expectMethodContract<B>(
  method: Method<B>,
  registered: { readonly minBatchSize?: BatchSizeMinimum },
  data: Dataset<B>,
  options: Partial<TrainerOptions> & { batchSize: number },
): Promise<void> {
  const trainable = [...method.trainableVariables()];
  const before = trainable.map(([, v]) => tf.clone(v));
  const { losses, tensorCounts } = await recordedFit(method, data, options);
  expect(losses.every(Number.isFinite), losses.join(',')).toBe(true);
  const moved = trainable.filter(([, v], i) => tf.tidy(() => tf.any(tf.notEqual(v, before[i]!)).dataSync()[0]) === 1);
  tf.dispose(before);
  expect(moved.length, 'trainable variables changed by training').toBeGreaterThan(0);
  // after the first step has created the optimizer's slots, nothing accumulates
  expectFlatTensorCount(tensorCounts, 1);
  // The registry (checked by the CLI before loading data) and the method (checked by the Trainer) agree.
  expect(method.minBatchSize).toEqual(registered.minBatchSize);
  const state = [...method.stateVariables().keys()];
  expect(new Set(state).size).toBe(state.length);
  for (const k of method.encoder.allVariables().keys()) expect(state).toContain(k);
  const batch = data.getBatch([0, 1, 2]);
  const emb = method.embed(batch);
  expect(emb.shape).toEqual([3, method.encoder.config.outputDim]);
  tf.dispose([emb, batch as tf.TensorContainer]);
}
