/**
 * NNCLR (Dwibedi, Aytar, Tompson, Sermanet & Zisserman 2021, "With a Little Help from My
 * Friends: Nearest-Neighbor Contrastive Learning of Visual Representations", sec. 3.2; details as
 * in solo-learn's nnclr_loss_func):
 *
 *   L = -1/N sum_i log( exp(NN(z_i, Q) . p_i^+ / T) / sum_k exp(NN(z_i, Q) . p_k^+ / T) )
 *
 * with cosine similarities (rows l2-normalised), NN(z, Q) = argmax_{q in Q} cos(z, q) the
 * nearest neighbour of view 1's projection in the support set Q (a queue of earlier
 * projections, kept by the method), and p^+ the prediction of view 2. Each anchor has N - 1
 * negatives, the other samples' predictions. One direction: the method adds the term with the
 * views swapped, `(L(nn1, p2) + L(nn2, p1)) / 2`. T = 0.1.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectSameRows, expectShape, numberOption } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { inBatchInfoNCE } from './info-nce.js';
import type { Objective } from './objective.js';

/** Options of {@link nnclrLoss}. */
export interface NnclrLossOptions {
  /** Temperature T; default 0.1 (NNCLR's). */
  temperature?: number;
}

/** Inputs of {@link nnclrLoss}: `[N, D]` each. */
export interface NnclrLossInputs {
  /** Nearest neighbours of view 1's projections in the support set ({@link nearestNeighbours}). */
  neighbours: tf.Tensor2D;
  /** Predictions of view 2 (the positives, same row order). */
  predictions: tf.Tensor2D;
}

/**
 * For every row of `z [N, D]`, the row of `support [M, D]` with the highest cosine similarity,
 * `[N, D]` (the support row itself, not normalised). The result carries no gradient: the
 * support set is a store of earlier projections.
 */
export function nearestNeighbours(z: tf.Tensor2D, support: tf.Tensor2D): tf.Tensor2D {
  expectShape(z, 'nearestNeighbours: z', '[N, D]', 2);
  expectShape(support, 'nearestNeighbours: support', `[M, ${z.shape[1]}]`, 2, [null, z.shape[1]]);
  return tf.tidy(() => {
    const sim = tf.matMul(l2NormalizeRows(z), l2NormalizeRows(support), false, true); // [N, M]
    // A one-hot product rather than tf.gather, so tf.grads never meets gather's integer indices.
    return stopGradient(tf.matMul(tf.oneHot(tf.argMax(sim, 1), support.shape[0]), support));
  });
}

/**
 * NNCLR objective, one direction. Inputs `neighbours`, `predictions`: `[N, D]` each.
 * @throws ConfigError for a non-positive temperature; ShapeError (at compute) for mismatched shapes.
 */
export function nnclrLoss(opts: NnclrLossOptions = {}): Objective<NnclrLossInputs> {
  const temperature = numberOption('nnclrLoss.temperature', opts.temperature, 0.1);
  return {
    name: 'nnclr',
    options: { temperature },
    compute({ neighbours, predictions }) {
      expectSameRows(neighbours, predictions, 'nnclrLoss', 'neighbours', 'predictions');
      return tf.tidy(() => inBatchInfoNCE(l2NormalizeRows(neighbours), l2NormalizeRows(predictions), temperature));
    },
  };
}
