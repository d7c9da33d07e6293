/**
 * CLIP's symmetric contrastive loss (Radford et al. 2021, "Learning Transferable Visual
 * Models From Natural Language Supervision", fig. 3):
 *
 *   s_ij = min(exp(t), maxScale) * cos(a_i, b_j)
 *   L = ( CE(s, I) + CE(s^T, I) ) / 2
 *
 * where row i of `a` and row i of `b` are a pair (two modalities of one example) and every
 * other row of the batch is a negative. `t` is a learned log-temperature (a scalar variable
 * owned by the method, initialised to log(1/0.07)); the scale is clipped at 100 as in the
 * paper, so the gradient w.r.t. `t` is zero while clipped.
 */
import { infoNCEFromLogits, l2NormalizeRows, type Objective, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Initial log-temperature of CLIP: log(1 / 0.07). */
export const CLIP_INIT_LOG_SCALE = Math.log(1 / 0.07);

/** Largest logit scale CLIP allows (the clip of exp(t)). */
export const CLIP_MAX_SCALE = 100;

/** Options of {@link clipLoss}. */
export interface ClipLossOptions {
  /** Upper bound of exp(logScale). Default 100. */
  maxScale?: number;
}

/** Inputs of {@link clipLoss}. */
export interface ClipLossInputs {
  /** Embeddings of modality A, `[N, D]` (normalised inside). */
  a: tf.Tensor2D;
  /** Embeddings of modality B, `[N, D]`; row i pairs with row i of `a`. */
  b: tf.Tensor2D;
  /** Learned log of the logit scale (log inverse temperature), a scalar. */
  logScale: tf.Scalar;
}

/** Cosine-similarity logits `[N, N]`: `min(exp(logScale), maxScale) * â b̂^T`. */
export function clipLogits(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  logScale: tf.Scalar,
  maxScale: number = CLIP_MAX_SCALE,
): tf.Tensor2D {
  return tf.tidy(() => {
    const scale = tf.minimum(tf.exp(logScale), maxScale);
    return tf.mul(tf.matMul(l2NormalizeRows(a), l2NormalizeRows(b), false, true), scale) as tf.Tensor2D;
  });
}

/**
 * The symmetric InfoNCE of CLIP over cosine similarities with a learned temperature.
 * @throws ShapeError (at compute) when `a` and `b` are not `[N, D]` of one shape or `logScale` is not a scalar.
 */
export function clipLoss(opts: ClipLossOptions = {}): Objective<ClipLossInputs> {
  const maxScale = opts.maxScale ?? CLIP_MAX_SCALE;
  return {
    name: 'clip',
    options: { maxScale },
    compute({ a, b, logScale }) {
      if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1] || a.shape[0] === 0) {
        throw new ShapeError(`clipLoss: a and b must both be [N, D], got [${a.shape}] and [${b.shape}]`);
      }
      if (logScale.rank !== 0) throw new ShapeError(`clipLoss: logScale must be a scalar, got [${logScale.shape}]`);
      return tf.tidy(() => {
        const logits = clipLogits(a, b, logScale, maxScale); // [N, N]
        const targets = Array.from({ length: a.shape[0] }, (_, i) => i);
        const ab = infoNCEFromLogits(logits, targets);
        const ba = infoNCEFromLogits(tf.transpose(logits) as tf.Tensor2D, targets);
        return tf.div(tf.add(ab, ba), 2) as tf.Scalar;
      });
    },
  };
}
