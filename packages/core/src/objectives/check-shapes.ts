import type * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';

/** `[4,5]` for messages. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Throws a ShapeError unless `x` has rank `rank` (and, where given, the dimensions in
 * `dims`; `null` leaves one free). `what` names the objective and input, e.g. `ntXent: z1`;
 * `expected` spells the shape for the message, e.g. `[batch, dim]`.
 */
export function expectShape(
  x: tf.Tensor,
  what: string,
  expected: string,
  rank: number,
  dims: readonly (number | null)[] = [],
): void {
  const ok = x.rank === rank && dims.every((d, i) => d === null || x.shape[i] === d);
  if (!ok) throw new ShapeError(`${what} must be ${expected}, got ${shapeString(x.shape)}`);
  if (x.shape.some((d) => d === 0)) throw new ShapeError(`${what} must not be empty, got ${shapeString(x.shape)}`);
}

/** Throws a ShapeError unless `a` and `b` have identical shapes. */
export function expectSameShape(a: tf.Tensor, b: tf.Tensor, what: string, aName: string, bName: string): void {
  const same = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) {
    throw new ShapeError(
      `${what}: ${aName} and ${bName} must have the same shape, got ${shapeString(a.shape)} and ${shapeString(b.shape)}`,
    );
  }
}

/**
 * Throws a ShapeError unless `a` is `[N, D]` with at least `minRows` rows and `b` has its shape:
 * the two matching row sets of a two-view or prediction/target objective.
 */
export function expectSameRows(
  a: tf.Tensor,
  b: tf.Tensor,
  what: string,
  aName: string,
  bName: string,
  minRows = 1,
): void {
  if (minRows > 1) {
    expectShape(a, `${what}: ${aName}`, `[N >= ${minRows}, D]`, 2, [a.shape[0]! >= minRows ? null : -1]);
  } else {
    expectShape(a, `${what}: ${aName}`, '[N, D]', 2);
  }
  expectSameShape(a, b, what, aName, bName);
}

/** Throws a ConfigError unless `value` is a finite number above `min` (or at least `min` when `inclusive`). */
export function expectNumberOption(field: string, value: number, min: number, inclusive = false): void {
  const ok = Number.isFinite(value) && (inclusive ? value >= min : value > min);
  if (!ok) throw new ConfigError(`expected a finite number ${inclusive ? '>=' : '>'} ${min}, got ${value}`, { field });
}

/** A numeric option: `given`, or `fallback` when omitted, checked as {@link expectNumberOption} does. */
export function numberOption(
  field: string,
  given: number | undefined,
  fallback: number,
  min = 0,
  inclusive = false,
): number {
  const value = given ?? fallback;
  expectNumberOption(field, value, min, inclusive);
  return value;
}
