import type { ScheduleOptions } from './options.js';

/**
 * Learning rate of optimizer step `step` (0-based) in a run of `totalSteps` steps.
 *
 * Warm-up: linear, lr = peak (step + 1) / warmupSteps for step < warmupSteps (the first step
 * already moves; equals torch's `LinearLR(start_factor=1/W, total_iters=W-1)`).
 * Then `cosine`: lr = peak (r + (1 - r) (1 + cos(pi t / (T - W))) / 2) with t = step - W and
 * r = minLrRatio (torch's `CosineAnnealingLR(T_max=T-W, eta_min=r peak)`), or `constant`: peak.
 */
export function learningRateAt(step: number, totalSteps: number, peakLr: number, schedule: ScheduleOptions): number {
  const warmup = schedule.warmupSteps ?? 0;
  if (step < warmup) return (peakLr * (step + 1)) / warmup;
  if (schedule.kind === 'constant') return peakLr;
  const r = schedule.minLrRatio ?? 0;
  const span = Math.max(1, totalSteps - warmup);
  const t = Math.min(step - warmup, span);
  return peakLr * (r + ((1 - r) * (1 + Math.cos((Math.PI * t) / span))) / 2);
}
