/**
 * Scores of "which latent frame comes k steps after t?" for the predictive methods (CPC,
 * wav2vec): for every query (clip b, frame t < T-k), the score of the true future latent
 * `z[b, t+k]` followed by the scores of `negatives` distractors sampled uniformly from the same
 * clip (wav2vec, CPC) or from every clip of the batch (`crossUtterance`), never the positive
 * itself. Score = dot product of the prediction and the latent, or their cosine divided by a
 * temperature (wav2vec 2.0).
 */
import { ConfigError, type Rng, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link sampleDistractors} and {@link futureLogits}. */
export interface FutureLogitsOptions {
  /** Distractors per query. */
  negatives: number;
  /** Draw distractors from every clip of the batch instead of the query's own clip. Default false. */
  crossUtterance?: boolean;
  /** Use cosine similarity divided by this temperature instead of the dot product. */
  cosineTemperature?: number;
}

/**
 * Row indices into the flattened `[batch * frames]` latents of each query's positive and
 * distractors; queries are `(b, t)` for `t < frames - k` in row-major order.
 */
export function sampleDistractors(
  batch: number,
  frames: number,
  k: number,
  options: FutureLogitsOptions,
  rng: Rng,
): { positives: Int32Array; negatives: Int32Array; queries: number } {
  const span = frames - k;
  if (!Number.isInteger(k) || k < 1 || span < 1) {
    throw new ConfigError(`prediction step ${k} does not fit ${frames} frames`, { field: 'steps' });
  }
  const pool = options.crossUtterance ? batch * frames : frames;
  if (pool < 2) throw new ConfigError(`no distractors to draw from ${pool} frame(s)`, { field: 'negatives' });
  const m = options.negatives;
  const n = batch * span;
  const positives = new Int32Array(n);
  const negatives = new Int32Array(n * m);
  let q = 0;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < span; t++, q++) {
      const pos = b * frames + t + k;
      positives[q] = pos;
      for (let j = 0; j < m; j++) {
        // Draw from pool minus the positive: shift draws at or past it by one.
        let r = rng.int(pool - 1);
        const base = options.crossUtterance ? 0 : b * frames;
        if (base + r >= pos) r++;
        negatives[q * m + j] = base + r;
      }
    }
  }
  return { positives, negatives, queries: n };
}

/**
 * Logits `[queries, 1 + negatives]` (positive first) of predictions `[batch, frames, dim]` made
 * at frame t for frame t+k, against latents `z` `[batch, frames, dim]`.
 */
export function futureLogits(
  predictions: tf.Tensor3D,
  z: tf.Tensor3D,
  k: number,
  options: FutureLogitsOptions,
  rng: Rng,
): tf.Tensor2D {
  const [b, t, d] = z.shape;
  if (predictions.shape[0] !== b || predictions.shape[1] !== t || predictions.shape[2] !== d) {
    throw new ShapeError(`futureLogits: predictions [${predictions.shape}] and latents [${z.shape}] differ`);
  }
  const m = options.negatives;
  const { positives, negatives, queries } = sampleDistractors(b, t, k, options, rng);
  return tf.tidy(() => {
    let q = tf.reshape(tf.slice(predictions, [0, 0, 0], [b, t - k, d]), [queries, d]);
    let zf = tf.reshape(z, [b * t, d]);
    if (options.cosineTemperature !== undefined) {
      const unit = (x: tf.Tensor) => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', -1, true), 1e-8));
      q = unit(q);
      zf = unit(zf);
    }
    const zPos = tf.gather(zf, tf.tensor1d(positives, 'int32')); // [N, d]
    const zNeg = tf.reshape(tf.gather(zf, tf.tensor1d(negatives, 'int32')), [queries, m, d]);
    const pos = tf.sum(tf.mul(q, zPos), 1, true); // [N, 1]
    const neg = tf.sum(tf.mul(tf.expandDims(q, 1), zNeg), 2); // [N, m]
    const logits = tf.concat([pos, neg], 1);
    return (
      options.cosineTemperature !== undefined ? tf.div(logits, options.cosineTemperature) : logits
    ) as tf.Tensor2D;
  });
}

/** Fraction of queries whose positive (column 0) has the highest score. */
export function contrastiveAccuracy(logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), 0), 'float32')) as tf.Scalar);
}
