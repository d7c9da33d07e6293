/**
 * Fixed-length windows over sequences: starts at 0, stride, 2*stride, ... while a whole window
 * fits. Under the `skip-window` IUPAC policy windows that contain an N are dropped.
 */
import { ConfigError } from '@autodidact/core';
import { N_CODE } from './base-codes.js';

/** Where a window lies: sequence index and start offset. */
export interface WindowRef {
  sequence: number;
  start: number;
}

/** Options of {@link slidingWindows}. */
export interface WindowOptions {
  /** Window length in bases. */
  length: number;
  /** Step between window starts. Default: `length` (non-overlapping). */
  stride?: number;
  /** Drop windows that contain an N (code 4). Default false. */
  skipN?: boolean;
}

/** Checks window options; returns the stride. */
export function checkWindowOptions(o: WindowOptions): number {
  const stride = o.stride ?? o.length;
  if (!Number.isInteger(o.length) || o.length < 1) {
    throw new ConfigError(`expected an integer window length >= 1, got ${o.length}`, { field: 'length' });
  }
  if (!Number.isInteger(stride) || stride < 1) {
    throw new ConfigError(`expected an integer stride >= 1, got ${stride}`, { field: 'stride' });
  }
  return stride;
}

/** Windows over every sequence, in order. */
export function slidingWindows(sequences: readonly Uint8Array[], options: WindowOptions): WindowRef[] {
  const stride = checkWindowOptions(options);
  const len = options.length;
  const out: WindowRef[] = [];
  sequences.forEach((codes, s) => {
    // Position of the last N at or before each point, to test a window in O(1).
    let lastN = -1;
    const lastNAt = options.skipN ? new Int32Array(codes.length) : undefined;
    if (lastNAt) {
      for (let i = 0; i < codes.length; i++) {
        if (codes[i] === N_CODE) lastN = i;
        lastNAt[i] = lastN;
      }
    }
    for (let start = 0; start + len <= codes.length; start += stride) {
      if (lastNAt && lastNAt[start + len - 1]! >= start) continue;
      out.push({ sequence: s, start });
    }
  });
  return out;
}
