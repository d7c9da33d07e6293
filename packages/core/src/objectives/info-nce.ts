/**
 * InfoNCE in the CPC form (van den Oord, Li & Vinyals 2018, "Representation Learning with
 * Contrastive Predictive Coding", eq. 4):
 *
 *   L = -mean_i log( exp(s(q_i, p_i)) / sum_{x in X_i} exp(s(q_i, x)) ),  s(q, x) = q . x / T
 *
 * One positive among the candidates X_i = {p_i} + negatives. Scores are plain dot products
 * divided by the temperature: callers normalise their vectors first (SimCLR-style cosine) or
 * apply CPC's bilinear map `W_k c_t` to the query before calling. Negatives are either shared
 * by every query `[M, D]`, per query `[N, K, D]`, or, when omitted, the other rows' positives
 * (in-batch negatives, N - 1 per query).
 */
import * as tf from '@tensorflow/tfjs';
import { expectShape, numberOption } from './check-shapes.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import type { Objective } from './objective.js';

/** Options of {@link infoNCE}. */
export interface InfoNCEOptions {
  /** Divides every score; default 1 (CPC uses none). Must be > 0. */
  temperature?: number;
}

/** Inputs of {@link infoNCE}. */
export interface InfoNCEInputs {
  /** Queries (CPC: the prediction `W_k c_t`), `[N, D]`. */
  query: tf.Tensor2D;
  /** The positive of each query, `[N, D]`. */
  positive: tf.Tensor2D;
  /** Shared negatives `[M, D]` or per-query negatives `[N, K, D]`; omitted: in-batch. */
  negatives?: tf.Tensor2D | tf.Tensor3D;
}

/**
 * Mean cross-entropy of logits `[N, C]` whose correct candidate is at `positiveIndex`
 * (one index for all rows, or one per row; default 0): the InfoNCE loss once scores exist.
 */
export function infoNCEFromLogits(logits: tf.Tensor2D, positiveIndex: number | readonly number[] = 0): tf.Scalar {
  return softmaxCrossEntropy(logits, positiveIndex);
}

/**
 * InfoNCE with in-batch negatives: the scores `query . positive^T / T` `[N, N]`, each query's
 * positive on the diagonal and the other rows' positives as its N - 1 negatives. Rows are used
 * as given (normalise them first for cosine scores).
 */
export function inBatchInfoNCE(query: tf.Tensor2D, positive: tf.Tensor2D, temperature: number): tf.Scalar {
  const logits = tf.div(tf.matMul(query, positive, false, true), temperature) as tf.Tensor2D; // [N, N]
  const diagonal = Array.from({ length: query.shape[0] }, (_, i) => i);
  return softmaxCrossEntropy(logits, diagonal);
}

/**
 * InfoNCE objective (CPC form). Inputs: `query [N, D]`, `positive [N, D]`, optional
 * `negatives [M, D] | [N, K, D]`.
 * @throws ConfigError for a non-positive temperature; ShapeError (at compute) for mismatched shapes.
 */
export function infoNCE(opts: InfoNCEOptions = {}): Objective<InfoNCEInputs> {
  const temperature = numberOption('infoNCE.temperature', opts.temperature, 1);
  return {
    name: 'info-nce',
    options: { temperature },
    compute({ query, positive, negatives }) {
      expectShape(query, 'infoNCE: query', '[N, D]', 2);
      const [n, d] = query.shape;
      expectShape(positive, 'infoNCE: positive', `[${n}, ${d}] (as query)`, 2, [n, d]);
      if (negatives === undefined) {
        return tf.tidy(() => inBatchInfoNCE(query, positive, temperature));
      }
      if (negatives.rank === 2) {
        expectShape(negatives, 'infoNCE: negatives (shared)', `[M, ${d}]`, 2, [null, d]);
      } else {
        expectShape(negatives, 'infoNCE: negatives (per query)', `[${n}, K, ${d}]`, 3, [n, null, d]);
      }
      return tf.tidy(() => {
        const pos = tf.sum(tf.mul(query, positive), 1, true); // [N, 1]
        const neg =
          negatives.rank === 2
            ? tf.matMul(query, negatives as tf.Tensor2D, false, true) // [N, M]
            : tf.sum(tf.mul(tf.expandDims(query, 1), negatives), 2); // [N, K]
        const logits = tf.div(tf.concat([pos, neg], 1), temperature) as tf.Tensor2D;
        return softmaxCrossEntropy(logits, 0);
      });
    },
  };
}
