/**
 * The sklearn digits set (tools/fixtures/optim/digits-classifier.ts) for trainer-level tests:
 * whether it is there, and a `describe` block's data made from it before the block's tests and
 * disposed after them.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import {
  DigitsDataset,
  digitsPath,
  haveDigits,
  loadDigits,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { initBackend } from '../backend/index.js';

/** Whether the digits set has been fetched; when not, warns that `what` is skipped. */
export function digitsPresent(what: string): boolean {
  if (!haveDigits) console.warn(`skipping ${what}: ${digitsPath} is missing (run node tools/fetch-data.mjs)`);
  return haveDigits;
}

/** A block's digits: all rows and labels, the first `train` rows and the rows after them. */
export interface Digits {
  readonly x: number[][];
  readonly y: Int32Array;
  readonly train: DigitsDataset;
  readonly rest: DigitsDataset;
}

/**
 * Loads the digits before the block's tests: `train` holds the first `options.train` rows and,
 * with `rest: true`, `rest` the others; their tensors are disposed after the tests. `initBackend`
 * first selects the backend as the CLI would (default: tfjs's own). Call inside a
 * `describe.skipIf(!digitsPresent(...))` block; read the fields in tests and later hooks.
 */
export function useDigits(options: { train: number; rest?: boolean; initBackend?: boolean }): Digits {
  const digits = {} as { -readonly [K in keyof Digits]: Digits[K] };
  beforeAll(async () => {
    if (options.initBackend) await initBackend({ quiet: true });
    const { x, y } = loadDigits();
    digits.x = x;
    digits.y = y;
    digits.train = new DigitsDataset(tf.tensor2d(x.slice(0, options.train)), y.slice(0, options.train));
    if (options.rest) digits.rest = new DigitsDataset(tf.tensor2d(x.slice(options.train)), y.slice(options.train));
  });
  afterAll(() => {
    digits.train?.x.dispose();
    digits.rest?.x.dispose();
  });
  return digits;
}
