/**
 * Checks the two-view method tests share: a short run on real MNIST must not collapse (the
 * std of the l2-normalised embeddings and their effective rank stay up, core's
 * collapseDiagnostics), a run interrupted and resumed from its checkpoint must end with
 * the same state (queues, running covariances, momentum encoders) as an uninterrupted one, and
 * a queue of keys is a ring buffer.
 */
import { type CollapseDiagnostics, collapseDiagnostics, Rng, type TensorDataset, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { runExactResume } from '../../../core/src/test-support/exact-resume.js';
import { methods } from '../methods/registry.js';

const build = (name: string, options: Record<string, unknown>, seed: number) =>
  methods.get(name).create({ sampleShape: [28, 28, 1], options, rng: new Rng(seed) });

/** Collapse diagnostics of the encoder's embeddings of 256 images after `steps` steps of batch 64. */
export async function diagnosticsAfter(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
  steps = 30,
): Promise<CollapseDiagnostics> {
  const method = build(name, options, 0);
  await new Trainer(method, {
    batchSize: 64,
    steps,
    seed: 0,
    quiet: true,
    optimizer: { name: 'adam', lr: 2e-3 },
  }).fit(data);
  const x = data.getBatch(Array.from({ length: 256 }, (_, i) => i));
  const z = method.embed(x);
  const d = collapseDiagnostics(z);
  (z as tf.Tensor).dispose();
  x.dispose();
  method.dispose();
  return d;
}

/**
 * Expects the embeddings after a short run ({@link diagnosticsAfter}) to keep their spread: a
 * std ratio above 0.5 and an effective rank above `minRank` (a collapsed encoder has 0 and 1).
 */
export async function expectNoCollapse(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
  minRank = 8,
): Promise<void> {
  const d = await diagnosticsAfter(name, options, data);
  expect(d.stdRatio).toBeGreaterThan(0.5);
  expect(d.effectiveRank).toBeGreaterThan(minRank);
}

/**
 * The state variable `key` after 6 steps run straight through and after 4 steps, a checkpoint
 * and a resumed run to 6, as arrays.
 */
export async function stateAfterResume(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
  key: string,
): Promise<{ straight: number[]; resumed: number[]; atCheckpoint: number[] }> {
  const all = await allStateAfterResume(name, options, data);
  const get = (m: Map<string, number[]>) => {
    const v = m.get(key);
    if (!v) throw new Error(`${name} has no state variable ${key}`);
    return v;
  };
  return { straight: get(all.straight), resumed: get(all.resumed), atCheckpoint: get(all.atCheckpoint) };
}

/** As {@link stateAfterResume}, for every state variable of the method (name -> values). */
export async function allStateAfterResume(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
): Promise<{ straight: Map<string, number[]>; resumed: Map<string, number[]>; atCheckpoint: Map<string, number[]> }> {
  const settings = {
    batchSize: 32,
    seed: 2,
    quiet: true,
    optimizer: { name: 'adam', lr: 2e-3 },
    checkpointEvery: 4,
    checkpointEverySeconds: 0,
    diagnosticsEvery: 0,
  } as const;
  // Planned for 6 steps (schedules as the straight run), stopped after the checkpoint at step 4;
  // resumed into other initial values: everything must come from the checkpoint.
  const run = await runExactResume({
    build: () => build(name, options, 3),
    rebuild: () => build(name, options, 99),
    data,
    options: { ...settings, steps: 6 },
    stopAt: 4,
  });
  return { straight: run.straightState, resumed: run.resumedState, atCheckpoint: run.atCheckpoint };
}

/**
 * Pushes the keys (1, 1), (2, 2), (3, 3) and then (4, 4), (5, 5), (6, 6) with `push` into a
 * queue of 5 rows of width 2 and expects a ring buffer: rows 0-2 take the first three, rows 3-4
 * take 4 and 5, row 0 is then overwritten by 6, and the pointer stands at row 1.
 */
export function expectQueueWrapsAround(
  push: (keys: tf.Tensor2D) => void,
  queue: () => { rows: tf.Tensor; pointer: tf.Tensor },
): void {
  const a = tf.tensor2d([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  const b = tf.tensor2d([
    [4, 4],
    [5, 5],
    [6, 6],
  ]);
  push(a);
  push(b);
  const { rows, pointer } = queue();
  expect(Array.from(rows.dataSync())).toEqual([6, 6, 2, 2, 3, 3, 4, 4, 5, 5]);
  expect(pointer.dataSync()[0]).toBe(1);
  tf.dispose([a, b]);
}
