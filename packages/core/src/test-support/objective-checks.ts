/**
 * Checks shared by the objectives' tests, next to their comparisons with the PyTorch fixtures:
 * inputs whose loss is known exactly, finiteness at extreme temperatures and tensor bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { checkCase, type Computes, type FixtureCase } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ShapeError } from '../errors.js';
import type { Objective } from '../objectives/objective.js';
import { tensorsLeftBy } from './tensor-count.js';

/**
 * One test per PyTorch fixture case, named `<title>: <case label>`: the loss and gradients of
 * `make(case options, case)` (the options taken as the objective's own type `O`) equal the
 * fixture's within `rtol` (relative; by default {@link checkCase}'s; a function gives each case its own).
 */
export function itMatchesPyTorch<C extends FixtureCase, O = FixtureCase['options']>(
  cases: C[],
  title: string,
  make: (options: O, c: C) => Computes,
  rtol?: number | ((c: C) => number),
): void {
  for (const c of cases) {
    it(`${title}: ${c.label}`, () => {
      checkCase(c, (o) => make(o as O, c), typeof rtol === 'function' ? rtol(c) : rtol);
    });
  }
}

/** Whether every entry of every tensor is finite (no NaN, no Infinity). */
export function allFinite(...tensors: tf.Tensor[]): boolean {
  return tensors.every((t) => Array.from(t.dataSync()).every(Number.isFinite));
}

/**
 * Two `[n, 2n]` blocks of the identity: unit rows, each orthogonal to every other row of both
 * blocks, so every cosine between distinct rows is exactly 0. Call inside `tf.tidy`.
 */
export function orthogonalViews(n: number): [tf.Tensor2D, tf.Tensor2D] {
  const eye = tf.eye(2 * n);
  return [tf.slice(eye, [0, 0], [n, 2 * n]), tf.slice(eye, [n, 0], [n, 2 * n])];
}

/**
 * Two independent `[n, d]` standard normal batches, seeded 1 and 2: random views or
 * prediction/target pairs. Call inside `tf.tidy` (or dispose them).
 */
export function randomViews(n: number, d: number): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.randomNormal([n, d], 0, 1, 'float32', 1), tf.randomNormal([n, d], 0, 1, 'float32', 2)];
}

/**
 * Expects a loss at random initialisation to sit near ln(`k`), `k` the number of candidates: at
 * least ln k - 0.05 and below ln k + `excess` (what random scores add to the log-sum-exp).
 */
export function expectNearLog(loss: number, k: number, excess: number): void {
  expect(loss).toBeGreaterThan(Math.log(k) - 0.05);
  expect(loss).toBeLessThan(Math.log(k) + excess);
}

/**
 * Expects a two-view objective that needs at least 2 rows to refuse a single row, and views of
 * different shapes with a message naming both shapes. Call inside `tf.tidy`.
 */
export function expectViewShapeChecks(obj: Objective<{ z1: tf.Tensor2D; z2: tf.Tensor2D }>): void {
  const one = tf.zeros([1, 3]) as tf.Tensor2D;
  expect(() => obj.compute({ z1: one, z2: one })).toThrow(ShapeError);
  expect(() => obj.compute({ z1: tf.zeros([4, 3]) as tf.Tensor2D, z2: tf.zeros([4, 2]) as tf.Tensor2D })).toThrow(
    /\[4,3\] and \[4,2\]/,
  );
}

/**
 * The value of `loss` at `inputs`, after checking that it and its gradient with respect to
 * every input are finite. Frees the value and the gradients.
 */
export function finiteValueAndGrads(loss: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): number {
  const { value, grads } = tf.valueAndGrads(loss)(inputs);
  const v = value.dataSync()[0];
  const finite = allFinite(value, ...grads);
  tf.dispose([value, ...grads]);
  expect(finite, 'value and gradients are finite').toBe(true);
  return v;
}

/**
 * How many tensors 5 repeated gradient passes of `loss` at `inputs` leave behind, counted after
 * one first pass: 0 when the loss and its gradient free every intermediate tensor.
 */
export function tensorsLeftByGrads(loss: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): number {
  return tensorsLeftBy(() => tf.dispose(tf.grads(loss)(inputs)), 5);
}
