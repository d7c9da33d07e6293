import { describe, expect, it } from 'vitest';
import { runOf } from './run-of.js';

describe('runOf', () => {
  it('finds the run holding each item, skipping empty runs', () => {
    // Runs of 3, 0, 2 and 1 items: items 0-2, none, 3-4, 5.
    const starts = Float64Array.from([0, 3, 3, 5, 6]);
    const want = [0, 0, 0, 2, 2, 3];
    expect(want.map((_, i) => runOf(starts, i))).toEqual(want);
  });

  it('gives run 0 for a single run', () => {
    expect(runOf([0, 4], 3)).toBe(0);
  });
});
