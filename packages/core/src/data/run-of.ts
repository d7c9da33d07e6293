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
