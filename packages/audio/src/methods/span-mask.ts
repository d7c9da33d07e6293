/**
 * wav2vec 2.0's span masking (Baevski et al. 2020, sec. 3.1): per clip, a proportion p of the
 * frames is sampled as span starts (without replacement) and the M frames from each start are
 * masked; spans may overlap. With the published p = 0.065 and M = 10 about half the frames of
 * a clip are masked. At least `minMasked` frames are always masked (distractors need two).
 */
import { ConfigError, type Rng } from '@autodidact/core';

/** Mask `[batch * frames]` (1 = masked), row-major by clip. */
export function spanMask(
  batch: number,
  frames: number,
  p: number,
  spanLength: number,
  rng: Rng,
  minMasked = 2,
): Uint8Array {
  if (!(p > 0 && p <= 1)) throw new ConfigError(`expected a proportion in (0, 1], got ${p}`, { field: 'maskProb' });
  if (!Number.isInteger(spanLength) || spanLength < 1) {
    throw new ConfigError(`expected a positive integer, got ${spanLength}`, { field: 'maskLength' });
  }
  const mask = new Uint8Array(batch * frames);
  const span = Math.min(spanLength, frames);
  const startsPool = frames - span + 1;
  for (let b = 0; b < batch; b++) {
    // p * frames starts, rounded stochastically so the expectation is exact.
    const want = p * frames;
    const starts = Math.min(startsPool, Math.max(1, Math.floor(want + rng.next())));
    const order = rng.permutation(startsPool).slice(0, starts);
    for (const s of order) mask.fill(1, b * frames + s, b * frames + s + span);
    let count = 0;
    for (let t = 0; t < frames; t++) count += mask[b * frames + t]!;
    for (let t = 0; count < Math.min(minMasked, frames) && t < frames; t++) {
      if (!mask[b * frames + t]) {
        mask[b * frames + t] = 1;
        count++;
      }
    }
  }
  return mask;
}
