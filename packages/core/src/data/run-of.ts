/**
 * The run holding item `i`, for items laid out in consecutive runs (samples in files, windows in
 * records): `starts` is ascending, `[runs + 1]`, run `r` holding items `[starts[r], starts[r + 1])`.
 * Returns the last `r` in `[0, runs - 1]` with `starts[r] <= i`, by binary search.
 */
export function runOf(starts: ArrayLike<number>, i: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Items laid out in consecutive runs (samples in files, windows in records), addressed by one
 * index over all of them: the runs' starts, counted once, and {@link runOf} over them.
 */
export class Runs {
  /** First item of each run, plus the total: `[runs + 1]`, ascending. */
  readonly starts: Float64Array;

  /** `runs` runs, run `r` holding `lengthOf(r)` items. */
  constructor(runs: number, lengthOf: (run: number) => number) {
    this.starts = new Float64Array(runs + 1);
    for (let r = 0; r < runs; r++) this.starts[r + 1] = this.starts[r]! + lengthOf(r);
  }

  /** Items in all runs. */
  get total(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** The run holding item `i` and the item's position in it. */
  locate(i: number): { run: number; offset: number } {
    const run = runOf(this.starts, i);
    return { run, offset: i - this.starts[run]! };
  }
}
