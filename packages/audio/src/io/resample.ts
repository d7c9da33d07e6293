/**
 * Rational-rate resampling with a windowed-sinc low-pass, the polyphase scheme of
 * scipy.signal.resample_poly (Crochiere & Rabiner, "Multirate Digital Signal Processing", 1983):
 * conceptually upsample by L (zero-stuffing), low-pass at min(pi/L, pi/M), keep every M-th
 * sample; computed without ever building the upsampled signal. The filter is a Kaiser-windowed
 * sinc (beta 5, 2*10*max(L, M)+1 taps, unit DC gain times L), as scipy's default, so our output
 * matches resample_poly's to float precision (tested against a numpy reference).
 *
 * Written here rather than taken from a library: no maintained npm resampler offers a
 * documented anti-aliasing filter on plain Float32Arrays without native code.
 */
// The reader entry (no tfjs): this file also runs inside data workers (wav-crops-reader.ts).
import { ConfigError } from '@autodidact/core/reader';

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Kaiser window beta. Default 5 (scipy's default). */
  beta?: number;
  /** Half filter length in units of max(L, M). Default 10. */
  halfLengthFactor?: number;
}

/** Filters with more taps than this are evaluated on the fly instead of tabulated. */
const MAX_TABLE_TAPS = 1 << 15;

const filterCache = new Map<string, Float64Array>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * I0 by the polynomial approximations of Abramowitz & Stegun 9.8.1-9.8.2 (relative error
 * below 2e-7): cheap enough to evaluate per tap for filters too long to tabulate.
 */
function besselI0Fast(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3.75) {
    const y = (x / 3.75) ** 2;
    return 1 + y * (3.5156229 + y * (3.0899424 + y * (1.2067492 + y * (0.2659732 + y * (0.0360768 + y * 0.0045813)))));
  }
  const y = 3.75 / ax;
  return (
    (Math.exp(ax) / Math.sqrt(ax)) *
    (0.39894228 +
      y *
        (0.01328592 +
          y *
            (0.00225319 +
              y *
                (-0.00157565 +
                  y * (0.00916281 + y * (-0.02057706 + y * (0.02635537 + y * (-0.01647633 + y * 0.00392377))))))))
  );
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Unnormalised tap `n` of the Kaiser-windowed sinc with `taps` taps and cutoff `fc` (of Nyquist). */
function rawTap(
  n: number,
  taps: number,
  half: number,
  fc: number,
  beta: number,
  i0beta: number,
  i0: (x: number) => number = besselI0,
): number {
  const r = (2 * n) / (taps - 1) - 1;
  const w = i0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0beta;
  return fc * sinc(fc * (n - half)) * w;
}

/**
 * The resampling low-pass for up-factor `up` and down-factor `down`: `2*half+1` taps of a
 * Kaiser-windowed sinc with cutoff 1/max(up, down) of Nyquist, scaled to a DC gain of `up`.
 */
export function resampleFilter(up: number, down: number, options: ResampleOptions = {}): Float64Array {
  const beta = options.beta ?? 5;
  const factor = options.halfLengthFactor ?? 10;
  const key = `${up}/${down}/${beta}/${factor}`;
  const hit = filterCache.get(key);
  if (hit) return hit;
  const maxRate = Math.max(up, down);
  const half = factor * maxRate;
  const taps = 2 * half + 1;
  const fc = 1 / maxRate;
  const i0beta = besselI0(beta);
  const h = new Float64Array(taps);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    h[n] = rawTap(n, taps, half, fc, beta, i0beta);
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n] = (h[n]! / sum) * up;
  if (filterCache.size > 32) filterCache.clear();
  filterCache.set(key, h);
  return h;
}

/**
 * Resamples `x` from `fromRate` to `toRate` Hz. Output length `ceil(n * L / M)` with
 * `L/M = toRate/fromRate` reduced; output sample `m` is centred on input time `m * M / L`
 * (zero-phase), so a tone keeps its phase.
 * @throws ConfigError for non-positive or non-integer rates.
 */
export function resample(
  x: Float32Array,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const [field, v] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`expected a positive integer rate, got ${v}`, { field });
  }
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  if (up === 1 && down === 1) return x.slice();
  const n = x.length;
  const nOut = Math.ceil((n * up) / down);
  const out = new Float32Array(nOut);
  const maxRate = Math.max(up, down);
  const factor = options.halfLengthFactor ?? 10;
  const half = factor * maxRate;
  const taps = 2 * half + 1;
  let tap: (i: number) => number;
  if (taps <= MAX_TABLE_TAPS) {
    // The tabulated filter, inlined: the same products summed in the same order as below.
    const h = resampleFilter(up, down, options);
    for (let m = 0; m < nOut; m++) {
      const t = half + m * down;
      let jLo = Math.ceil((t - (taps - 1)) / up);
      if (jLo < 0) jLo = 0;
      let jHi = Math.floor(t / up);
      if (jHi > n - 1) jHi = n - 1;
      let acc = 0;
      for (let j = jLo, i = t - jLo * up; j <= jHi; j++, i -= up) acc += x[j]! * h[i]!;
      out[m] = acc;
    }
    return out;
  } else {
    // Huge co-prime rates: evaluate taps on the fly. fc*sinc(fc*k) sums to ~1 over k, so
    // multiplying by up gives the tabulated filter's gain without a normalising pass.
    const beta = options.beta ?? 5;
    const fc = 1 / maxRate;
    const i0beta = besselI0Fast(beta);
    tap = (i) => rawTap(i, taps, half, fc, beta, i0beta, besselI0Fast) * up;
  }
  for (let m = 0; m < nOut; m++) {
    const t = half + m * down; // position in the upsampled, filtered signal
    let jLo = Math.ceil((t - (taps - 1)) / up);
    if (jLo < 0) jLo = 0;
    let jHi = Math.floor(t / up);
    if (jHi > n - 1) jHi = n - 1;
    let acc = 0;
    for (let j = jLo; j <= jHi; j++) acc += x[j]! * tap(t - j * up);
    out[m] = acc;
  }
  return out;
}
