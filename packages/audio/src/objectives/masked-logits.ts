/**
 * Scores of wav2vec 2.0's masked prediction task (Baevski et al. 2020, eq. 3): for each masked
 * frame t of a clip, the cosine similarity of the context output c_t to the true quantized
 * latent q_t, then to `negatives` distractors q_t' drawn uniformly from the other masked
 * frames of the same clip, all divided by the temperature kappa.
 */
import { ConfigError, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Row indices into `[batch * frames]` of the masked frames (queries) and of their distractors.
 * @throws ConfigError when a clip has fewer than 2 masked frames.
 */
export function sampleMaskedDistractors(
  mask: Uint8Array,
  batch: number,
  frames: number,
  negatives: number,
  rng: Rng,
): { queries: Int32Array; distractors: Int32Array } {
  const queries: number[] = [];
  const distractors: number[] = [];
  for (let b = 0; b < batch; b++) {
    const masked: number[] = [];
    for (let t = 0; t < frames; t++) if (mask[b * frames + t]) masked.push(b * frames + t);
    if (masked.length < 2)
      throw new ConfigError(`clip ${b} has ${masked.length} masked frame(s); need 2`, { field: 'maskProb' });
    for (let i = 0; i < masked.length; i++) {
      queries.push(masked[i]!);
      for (let j = 0; j < negatives; j++) {
        let r = rng.int(masked.length - 1);
        if (r >= i) r++;
        distractors.push(masked[r]!);
      }
    }
  }
  return { queries: Int32Array.from(queries), distractors: Int32Array.from(distractors) };
}

/** Logits `[queries, 1 + negatives]` (positive first) of context `c` against targets `q`, both `[batch*frames, dim]`. */
export function maskedLogits(
  c: tf.Tensor2D,
  q: tf.Tensor2D,
  queries: Int32Array,
  distractors: Int32Array,
  temperature: number,
): tf.Tensor2D {
  const n = queries.length;
  const m = distractors.length / n;
  const d = c.shape[1];
  return tf.tidy(() => {
    const unit = (x: tf.Tensor) => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', -1, true), 1e-8));
    const qi = tf.tensor1d(queries, 'int32');
    const cq = unit(tf.gather(c, qi)); // [n, d]
    const pos = unit(tf.gather(q, qi)); // [n, d]
    const neg = unit(tf.reshape(tf.gather(q, tf.tensor1d(distractors, 'int32')), [n, m, d])); // [n, m, d]
    const logits = tf.concat([tf.sum(tf.mul(cq, pos), 1, true), tf.sum(tf.mul(tf.expandDims(cq, 1), neg), 2)], 1);
    return tf.div(logits, temperature) as tf.Tensor2D;
  });
}
