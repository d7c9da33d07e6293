/**
 * The one margin rule of every results bench (docs/protocol.md): a method beats a baseline on a
 * data set when, on the probe fixed in advance for that data set (the linear probe on test, see
 * PRIMARY_PROBE), its mean over seeds exceeds the baseline's mean by more than
 *   max(MIN_DIFFERENCE, 2 · pooled std),  pooled std = sqrt((s_method² + s_baseline²) / 2),
 * with s the sample standard deviations over the same seeds. One probe, one rule: a method that
 * loses on it does not pass by winning on another.
 */
import { meanStd } from './stats.js';

/** The smallest mean difference that counts, in accuracy (or the bench's score unit). */
export const MIN_DIFFERENCE = 0.02;
/**
 * Differences within this of the threshold count as equal to it, so a tie does not beat: scores are
 * means of counts (0.73 - 0.71 is 0.020000000000000018 in floating point), far coarser than this.
 */
export const TIE_TOLERANCE = 1e-9;
/** Standard deviations of the pooled seed-to-seed spread the difference must exceed. */
export const STD_FACTOR = 2;
/** The probe every margin is judged on (fixed before any run). */
export const PRIMARY_PROBE = 'linear' as const;

/** Whether `method` beats `baseline` (scores over seeds, higher is better) under the margin rule. */
export function beats(method: readonly number[], baseline: readonly number[], minDifference = MIN_DIFFERENCE): boolean {
  return marginOf(method, baseline, minDifference).beats;
}

/** The rule's numbers: mean difference, the threshold it had to exceed, and the verdict. */
export function marginOf(
  method: readonly number[],
  baseline: readonly number[],
  minDifference = MIN_DIFFERENCE,
): { difference: number; threshold: number; beats: boolean } {
  const a = meanStd(method);
  const b = meanStd(baseline);
  const pooled = Math.sqrt((a.std ** 2 + b.std ** 2) / 2);
  const threshold = Math.max(minDifference, STD_FACTOR * pooled);
  const difference = a.mean - b.mean;
  return { difference, threshold, beats: difference - threshold > TIE_TOLERANCE };
}

/**
 * A margin's difference for a verdict line: three decimals, or five where three would print it
 * equal to the threshold (so "0.020 vs 0.020: beats" cannot be printed for +0.02004).
 */
export function formatDifference(difference: number, threshold: number, signed = false): string {
  const digits = difference.toFixed(3) === threshold.toFixed(3) ? 5 : 3;
  return `${signed && difference >= 0 ? '+' : ''}${difference.toFixed(digits)}`;
}

/** The rule in one sentence, for the benches' table captions. */
export const MARGIN_RULE = `a method beats a baseline when its mean ${PRIMARY_PROBE}-probe test accuracy over the seeds exceeds the baseline's by more than max(${MIN_DIFFERENCE}, ${STD_FACTOR} x pooled std)`;
