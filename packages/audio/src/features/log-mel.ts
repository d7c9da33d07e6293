/**
 * Log-mel spectrogram: frames of `nFft` samples every `hop` (no centring; a clip shorter than
 * one frame is zero-padded), periodic Hann window, power spectrum, triangular filters on the
 * HTK mel scale (mel = 2595 log10(1 + f / 700); the torchaudio `melscale_fbanks` definition
 * with norm=None), natural log of (energy + eps). The DFT is two matrix products with a
 * windowed cosine/sine basis, so it runs on the BLAS matmul of the native backend and is
 * differentiable; tested against a numpy rfft reference (tools/fixtures/audio/generate.py).
 */
import { ConfigError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link LogMel}; defaults are the usual 25 ms / 10 ms frames at 16 kHz. */
export interface LogMelOptions {
  /** Sample rate of the input (Hz). Default 16000. */
  sampleRate: number;
  /** Frame (and FFT) length in samples. Default 400. */
  nFft: number;
  /** Hop between frames in samples. Default 160. */
  hop: number;
  /** Mel bands. Default 40. */
  nMels: number;
  /** Lowest filter edge (Hz). Default 0. */
  fMin: number;
  /** Highest filter edge (Hz). Default sampleRate / 2. */
  fMax: number;
  /** Added before the log. Default 1e-6. */
  eps: number;
}

/** Fills the defaults of {@link LogMelOptions} and checks them. */
export function logMelOptions(options: Partial<LogMelOptions> = {}): LogMelOptions {
  const sampleRate = options.sampleRate ?? 16000;
  const o: LogMelOptions = {
    sampleRate,
    nFft: options.nFft ?? 400,
    hop: options.hop ?? 160,
    nMels: options.nMels ?? 40,
    fMin: options.fMin ?? 0,
    fMax: options.fMax ?? sampleRate / 2,
    eps: options.eps ?? 1e-6,
  };
  for (const k of ['sampleRate', 'nFft', 'hop', 'nMels'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new ConfigError(`expected a positive integer, got ${o[k]}`, { field: k });
  }
  if (!(o.fMin >= 0 && o.fMin < o.fMax && o.fMax <= sampleRate / 2)) {
    throw new ConfigError(`expected 0 <= fMin < fMax <= sampleRate/2, got ${o.fMin}, ${o.fMax}`, { field: 'fMax' });
  }
  if (!(o.eps > 0)) throw new ConfigError(`expected a positive number, got ${o.eps}`, { field: 'eps' });
  return o;
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/**
 * Triangular HTK-mel filters evaluated at the FFT bin frequencies, `[nFft/2 + 1, nMels]`
 * row-major.
 */
export function melFilterbank(
  sampleRate: number,
  nFft: number,
  nMels: number,
  fMin: number,
  fMax: number,
): Float32Array {
  const bins = Math.floor(nFft / 2) + 1;
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const pts = Array.from({ length: nMels + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (nMels + 1)));
  const fb = new Float32Array(bins * nMels);
  for (let k = 0; k < bins; k++) {
    const f = (k * sampleRate) / nFft;
    for (let m = 0; m < nMels; m++) {
      const up = (f - pts[m]!) / (pts[m + 1]! - pts[m]!);
      const down = (pts[m + 2]! - f) / (pts[m + 2]! - pts[m + 1]!);
      fb[k * nMels + m] = Math.max(0, Math.min(up, down));
    }
  }
  return fb;
}

/** Number of frames for a clip of `samples` samples (at least 1). */
export function numFrames(samples: number, nFft: number, hop: number): number {
  return samples <= nFft ? 1 : 1 + Math.floor((samples - nFft) / hop);
}

/** A log-mel transform holding its constant bases; call {@link LogMel.dispose} when done. */
export class LogMel {
  readonly options: LogMelOptions;
  private readonly cos: tf.Tensor2D; // [nFft, bins], Hann-windowed
  private readonly sin: tf.Tensor2D; // [nFft, bins], Hann-windowed
  private readonly fb: tf.Tensor2D; // [bins, nMels]
  private readonly frameIndex = new Map<number, tf.Tensor2D>(); // samples -> [frames, nFft]

  constructor(options: Partial<LogMelOptions> = {}) {
    this.options = logMelOptions(options);
    const o = this.options;
    const bins = Math.floor(o.nFft / 2) + 1;
    const c = new Float32Array(o.nFft * bins);
    const s = new Float32Array(o.nFft * bins);
    for (let n = 0; n < o.nFft; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / o.nFft);
      for (let k = 0; k < bins; k++) {
        // Reduce n*k mod nFft first: keeps the angle small and the basis exact in float32.
        const a = (2 * Math.PI * ((n * k) % o.nFft)) / o.nFft;
        c[n * bins + k] = w * Math.cos(a);
        s[n * bins + k] = w * Math.sin(a);
      }
    }
    this.cos = tf.tensor2d(c, [o.nFft, bins]);
    this.sin = tf.tensor2d(s, [o.nFft, bins]);
    this.fb = tf.tensor2d(melFilterbank(o.sampleRate, o.nFft, o.nMels, o.fMin, o.fMax), [bins, o.nMels]);
  }

  /** Frames produced for clips of `samples` samples. */
  frames(samples: number): number {
    return numFrames(samples, this.options.nFft, this.options.hop);
  }

  private indices(samples: number): tf.Tensor2D {
    let idx = this.frameIndex.get(samples);
    if (!idx) {
      const { nFft, hop } = this.options;
      const t = this.frames(samples);
      const data = new Int32Array(t * nFft);
      for (let f = 0; f < t; f++) for (let n = 0; n < nFft; n++) data[f * nFft + n] = f * hop + n;
      idx = tf.keep(tf.tensor2d(data, [t, nFft], 'int32')); // cached across tidy scopes
      this.frameIndex.set(samples, idx);
    }
    return idx;
  }

  /** Log-mel of waveforms `[batch, samples]` -> `[batch, frames, nMels]`. */
  apply(waves: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const { nFft, nMels, eps } = this.options;
      const [b, n] = waves.shape;
      const x =
        n < nFft
          ? tf.pad(waves, [
              [0, 0],
              [0, nFft - n],
            ])
          : waves;
      const t = this.frames(n);
      const frames = tf.reshape(tf.gather(x, this.indices(Math.max(n, nFft)), 1), [b * t, nFft]);
      const re = tf.matMul(frames, this.cos);
      const im = tf.matMul(frames, this.sin);
      const power = tf.add(tf.square(re), tf.square(im));
      const mel = tf.matMul(power, this.fb);
      return tf.reshape(tf.log(tf.add(mel, eps)), [b, t, nMels]) as tf.Tensor3D;
    });
  }

  dispose(): void {
    tf.dispose([this.cos, this.sin, this.fb, ...this.frameIndex.values()]);
    this.frameIndex.clear();
  }
}

/**
 * Mean and standard deviation over time of the log-mel frames, `[batch, 2 * nMels]`: the
 * classical fixed-length feature the benchmark sets beside learned embeddings.
 */
export function logMelStats(logMel: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(logMel, 1);
    return tf.concat([mean, tf.sqrt(tf.add(variance, 1e-8))], 1) as tf.Tensor2D;
  });
}
