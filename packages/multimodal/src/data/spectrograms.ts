/**
 * Audio as CLIP's audio tower reads it: a log-mel spectrogram image `[frames, nMels, 1]` of each
 * clip (25 ms frames with a 10 ms hop, @autodidact/audio's {@link LogMel}), standardised with the
 * training clips' mean and spread (a paired folder's measured once over some of its clips, then
 * applied per batch: {@link standardiseWith}). Shared by the spoken-digit pairing and paired folders.
 */
import { LogMel } from '@autodidact/audio';
import * as tf from '@tensorflow/tfjs';

/** Mel bands of CLIP's spectrograms. */
export const CLIP_MEL_BANDS = 32;

/** The log-mel transform at `sampleRate`: 25 ms frames with a 10 ms hop (dispose it when done). */
export function clipLogMel(sampleRate: number, nMels = CLIP_MEL_BANDS): LogMel {
  return new LogMel({
    sampleRate,
    nFft: Math.round(sampleRate * 0.025),
    hop: Math.round(sampleRate * 0.01),
    nMels,
  });
}

/**
 * `[n, frames, nMels]` spectrograms standardised with the statistics of `train` (one mean and
 * spread over all its values), each as `[n, frames, nMels, 1]`; the inputs are left to the caller.
 */
export function standardiseSpectrograms(train: tf.Tensor3D, ...others: tf.Tensor3D[]): tf.Tensor4D[] {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(train);
    const sd = tf.sqrt(tf.add(variance, 1e-6));
    const norm = (x: tf.Tensor3D) => tf.expandDims(tf.div(tf.sub(x, mean), sd), 3) as tf.Tensor4D;
    return [norm(train), ...others.map(norm)];
  });
}

/** A mean and spread of log-mel values, measured once over a folder's clips. */
export interface SpectrogramStats {
  mean: number;
  sd: number;
}

/** `[n, frames, nMels]` spectrograms standardised with `stats`, as `[n, frames, nMels, 1]`; the input is left to the caller. */
export function standardiseWith(x: tf.Tensor3D, stats: SpectrogramStats): tf.Tensor4D {
  return tf.tidy(() => tf.expandDims(tf.div(tf.sub(x, stats.mean), stats.sd), 3) as tf.Tensor4D);
}
