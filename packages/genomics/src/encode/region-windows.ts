/**
 * Windows labelled by annotation: a window is `inside` when it lies entirely within one region
 * of interest (e.g. a CDS), `outside` when it overlaps no annotated region at all (e.g.
 * intergenic), and dropped otherwise (it straddles a boundary or overlaps other features).
 * Coordinates are 1-based inclusive, as in GFF3 and GenBank.
 */
import { checkWindowOptions, type WindowOptions } from './windows.js';

/** A 1-based inclusive interval. */
export interface Interval {
  start: number;
  end: number;
}

/** Window starts (0-based) of one sequence, split into inside and outside. */
export interface RegionWindows {
  inside: number[];
  outside: number[];
}

/** Marks 0-based positions covered by any interval. */
function coverage(length: number, intervals: readonly Interval[]): Uint8Array {
  const c = new Uint8Array(length);
  for (const iv of intervals) c.fill(1, Math.max(0, iv.start - 1), Math.min(length, iv.end));
  return c;
}

/**
 * Splits the windows of a sequence of `sequenceLength` bases into those inside one of
 * `regions` and those overlapping none of `annotated` (which should include `regions`).
 */
export function regionWindows(
  sequenceLength: number,
  regions: readonly Interval[],
  annotated: readonly Interval[],
  options: WindowOptions,
): RegionWindows {
  const stride = checkWindowOptions(options);
  const len = options.length;
  const any = coverage(sequenceLength, annotated);
  // Prefix sums of "annotated" to test a window for any overlap in O(1).
  const anyPrefix = new Int32Array(sequenceLength + 1);
  for (let i = 0; i < sequenceLength; i++) anyPrefix[i + 1] = anyPrefix[i]! + any[i]!;
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  const out: RegionWindows = { inside: [], outside: [] };
  for (let s = 0; s + len <= sequenceLength; s += stride) {
    if (anyPrefix[s + len]! - anyPrefix[s]! === 0) {
      out.outside.push(s);
      continue;
    }
    // Inside: some single region covers [s + 1, s + len] (1-based).
    for (const r of sorted) {
      if (r.start > s + 1) break;
      if (r.end >= s + len) {
        out.inside.push(s);
        break;
      }
    }
  }
  return out;
}
