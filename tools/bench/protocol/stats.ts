/**
 * Seeds and mean ± std: every reported number of a results bench is the mean over SEEDS runs
 * (pretraining, probe and baseline initialisation all seeded by the run's seed), shown with the
 * sample standard deviation.
 */

import { UsageError } from './usage.js';

/** Seeds of a reported number unless the command line says otherwise. */
export const DEFAULT_SEEDS = [0, 1, 2] as const;

/** `--seeds 0,1,2` (or `--seeds 3`, meaning 0,1,2): the seeds to run. */
export function parseSeeds(text: string): number[] {
  const parts = text.split(',').filter((s) => s.trim() !== '');
  const seeds = parts.length === 1 && !text.includes(',') ? range(Number(parts[0])) : parts.map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new UsageError(`--seeds: expected a count or a list of integers >= 0 like 0,1,2, got ${text}`);
  }
  return seeds;
}

function range(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--seeds: expected a count >= 1, got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}

/** Mean and sample standard deviation (n − 1; 0 for one value). NaN for no values. */
export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/**
 * `0.912 ± 0.004` (one value: `0.912`); `scale` 100 prints percentages (`91.2 ± 0.4`). Empty for
 * no values.
 */
export function formatMeanStd(xs: readonly number[], digits = 3, scale = 1): string {
  const { mean, std, n } = meanStd(xs);
  if (n === 0 || Number.isNaN(mean)) return '';
  const f = (x: number) => (x * scale).toFixed(digits);
  return n === 1 ? f(mean) : `${f(mean)} ± ${f(std)}`;
}
