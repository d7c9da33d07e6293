import { describe, expect, it } from 'vitest';
import { Runs, runOf } from './run-of.js';

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

describe('Runs', () => {
  it('counts the starts once and locates every item by run and offset, skipping empty runs', () => {
    const lengths = [3, 0, 2, 1];
    const runs = new Runs(lengths.length, (r) => lengths[r]!);
    expect([...runs.starts]).toEqual([0, 3, 3, 5, 6]);
    expect(runs.total).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((i) => runs.locate(i))).toEqual([
      { run: 0, offset: 0 },
      { run: 0, offset: 1 },
      { run: 0, offset: 2 },
      { run: 2, offset: 0 },
      { run: 2, offset: 1 },
      { run: 3, offset: 0 },
    ]);
  });

  it('holds no items without runs', () => {
    expect(new Runs(0, () => 1).total).toBe(0);
  });
});
