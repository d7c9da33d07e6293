/**
 * Random-dot stereograms as in Becker & Hinton (1992): a 1-D strip of random binary dots seen
 * by the left eye; the right eye sees the same strip shifted by a disparity that varies
 * smoothly across space (a curved surface, here a sinusoid of random phase per strip).
 * Sub-pixel shifts are rendered by linear interpolation between neighbouring dots, as in the
 * paper, so intensities between dots are grey.
 *
 * Each sample holds two neighbouring patches of `patchWidth` positions; module A sees
 * patch A of both eyes and module B the next patch. Each patch draws its own dots (the strip
 * under patch A and the one under patch B are independent), so the only thing the two
 * patches share is the (smooth) depth of the surface.
 */
import { ConfigError, Rng } from '@autodidact/core';

/** Options of {@link randomDotStereograms}. */
export interface StereogramOptions {
  /** Positions per patch (per eye); default 8. */
  patchWidth?: number;
  /** Disparities lie in [0, maxDisparity] pixels; default 3. */
  maxDisparity?: number;
  /** Probability that a dot is on; default 0.5. */
  dotDensity?: number;
  /** Spatial period of the sinusoidal surface in pixels; default 64 (long beside two patches, so depth is smooth). */
  surfacePeriod?: number;
}

/** A batch of stereogram patch pairs. */
export interface Stereograms {
  /** Module A's input, `[count, 2 * patchWidth]` row-major: left-eye patch then right-eye patch. */
  a: Float32Array;
  /** Module B's input (the neighbouring patch), same layout as `a`. */
  b: Float32Array;
  /** True disparity at the centre of patch A, `[count]` (pixels). */
  disparityA: Float32Array;
  /** True disparity at the centre of patch B, `[count]` (pixels). */
  disparityB: Float32Array;
  /** Number of samples. */
  count: number;
  /** Width of one module's input (`2 * patchWidth`). */
  inputSize: number;
}

function positive(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(`expected a finite number > 0, got ${value}`, { field });
  }
  return value;
}

/**
 * `count` seeded stereogram samples. Dots are +-1 (on / off, centred), so a blank input is 0.
 * @throws ConfigError for non-positive sizes or a density outside (0, 1).
 */
export function randomDotStereograms(count: number, seed: number, opts: StereogramOptions = {}): Stereograms {
  const w = Math.round(positive(opts.patchWidth ?? 8, 'stereograms.patchWidth'));
  const maxD = positive(opts.maxDisparity ?? 3, 'stereograms.maxDisparity');
  const period = positive(opts.surfacePeriod ?? 64, 'stereograms.surfacePeriod');
  const density = opts.dotDensity ?? 0.5;
  if (!(density > 0 && density < 1)) {
    throw new ConfigError(`expected a probability in (0, 1), got ${density}`, { field: 'stereograms.dotDensity' });
  }
  positive(count, 'stereograms.count');
  const rng = new Rng(seed);
  const margin = Math.ceil(maxD) + 1;
  const stripLength = w + margin;
  const strip = new Float32Array(stripLength);
  const inputSize = 2 * w;
  const out: Stereograms = {
    a: new Float32Array(count * inputSize),
    b: new Float32Array(count * inputSize),
    disparityA: new Float32Array(count),
    disparityB: new Float32Array(count),
    count,
    inputSize,
  };
  for (let n = 0; n < count; n++) {
    const phase = rng.uniform(0, 2 * Math.PI);
    // Disparity at patch position x (0 .. 2w-1): a sinusoidal surface spanning [0, maxD].
    const disparity = (x: number) => 0.5 * maxD * (1 + Math.sin(phase + (2 * Math.PI * x) / period));
    for (const [target, offset] of [
      [out.a, 0],
      [out.b, w],
    ] as const) {
      // Fresh dots per patch: the right eye of one patch must not see the other patch's dots,
      // or the modules could agree on the dots themselves instead of on the depth.
      for (let i = 0; i < stripLength; i++) strip[i] = rng.bernoulli(density) ? 1 : -1;
      for (let i = 0; i < w; i++) {
        target[n * inputSize + i] = strip[i]!; // left eye
        // Right eye at i sees the left strip at i + d(x), linearly interpolated.
        const s = i + disparity(offset + i);
        const lo = Math.floor(s);
        const f = s - lo;
        target[n * inputSize + w + i] = (1 - f) * strip[lo]! + f * strip[lo + 1]!;
      }
    }
    out.disparityA[n] = disparity((w - 1) / 2);
    out.disparityB[n] = disparity(w + (w - 1) / 2);
  }
  return out;
}
