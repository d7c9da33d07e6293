/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen, Kornblith,
 * Norouzi & Hinton 2020, "A Simple Framework for Contrastive Learning of Visual
 * Representations", eq. 1):
 *
 *   l(i, j) = -log( exp(sim(z_i, z_j) / T) / sum_{k != i} exp(sim(z_i, z_k) / T) )
 *
 * over the 2N views z = [z1; z2], sim = cosine similarity, j the other view of i; the loss is
 * the mean over all 2N anchors. Each anchor has 2N - 2 negatives.
 *
 * Stability: logits are at most 1/T (T = 0.01 gives 100), and the log-sum-exp subtracts the
 * row maximum; self-similarity is masked with a large finite negative (-1e9) rather than
 * -Infinity, so neither value nor gradient can become NaN (no Infinity * 0).
 */
import * as tf from '@tensorflow/tfjs';
import { expectSameRows, numberOption } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import type { Objective } from './objective.js';

/** Options of {@link ntXent}. */
export interface NTXentOptions {
  /** Temperature T, default 0.5 (> 0). SimCLR used 0.1-0.5; stable down to 0.01. */
  temperature?: number;
}

/** Inputs of {@link ntXent}: the projections of two views of the same N samples. */
export interface NTXentInputs {
  z1: tf.Tensor2D; // [N, D]
  z2: tf.Tensor2D; // [N, D]
}

/** Added to the self-similarity logits: exp(-1e9 - max) is exactly 0 in float32. */
const MASK_VALUE = -1e9;

/**
 * NT-Xent objective (SimCLR). Inputs `z1`, `z2`: `[N, D]` each (need not be normalised).
 * @throws ConfigError for a non-positive temperature; ShapeError (at compute) for mismatched shapes.
 */
export function ntXent(opts: NTXentOptions = {}): Objective<NTXentInputs> {
  const temperature = numberOption('ntXent.temperature', opts.temperature, 0.5);
  return {
    name: 'nt-xent',
    options: { temperature },
    compute({ z1, z2 }) {
      expectSameRows(z1, z2, 'ntXent', 'z1', 'z2');
      const n = z1.shape[0];
      return tf.tidy(() => {
        const z = l2NormalizeRows(tf.concat([z1, z2], 0) as tf.Tensor2D); // [2N, D]
        const sim = tf.div(tf.matMul(z, z, false, true), temperature); // [2N, 2N]
        const logits = tf.add(sim, tf.mul(tf.eye(2 * n), MASK_VALUE)) as tf.Tensor2D;
        const positives = Array.from({ length: 2 * n }, (_, i) => (i + n) % (2 * n));
        return softmaxCrossEntropy(logits, positives);
      });
    },
  };
}
