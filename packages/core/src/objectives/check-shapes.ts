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

/** Throws a ConfigError unless `value` is a finite number above `min` (or at least `min` when `inclusive`). */
export function expectNumberOption(field: string, value: number, min: number, inclusive = false): void {
  const ok = Number.isFinite(value) && (inclusive ? value >= min : value > min);
  if (!ok) throw new ConfigError(`expected a finite number ${inclusive ? '>=' : '>'} ${min}, got ${value}`, { field });
}
