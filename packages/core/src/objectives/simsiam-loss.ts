/**
 * SimSiam's symmetric negative-cosine loss (Chen & He 2021, "Exploring Simple Siamese
 * Representation Learning", eq. 1-4):
 *
 *   L = D(p1, sg(z2)) / 2 + D(p2, sg(z1)) / 2,   D(p, z) = -mean_i cos(p_i, z_i)
 *
 * p = predictor outputs, z = projector outputs of the two views; the stop-gradient on z is
 * what prevents collapse. Range [-1, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectSameRows, expectSameShape } from './check-shapes.js';
import { rowCosineSimilarity } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Inputs of {@link simsiamLoss}: all `[N, D]`. */
export interface SimSiamInputs {
  /** Predictions of view 1 and view 2. */
  p1: tf.Tensor2D;
  p2: tf.Tensor2D;
  /** Projections of view 1 and view 2 (gradient stopped). */
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
}

/** SimSiam objective: `D(p1, sg(z2))/2 + D(p2, sg(z1))/2`. */
export function simsiamLoss(): Objective<SimSiamInputs> {
  return {
    name: 'simsiam',
    options: {},
    compute({ p1, p2, z1, z2 }) {
      expectSameRows(p1, p2, 'simsiamLoss', 'p1', 'p2');
      expectSameShape(p1, z1, 'simsiamLoss', 'p1', 'z1');
      expectSameShape(p1, z2, 'simsiamLoss', 'p1', 'z2');
      return tf.tidy(() => {
        const d12 = tf.neg(tf.mean(rowCosineSimilarity(p1, stopGradient(z2))));
        const d21 = tf.neg(tf.mean(rowCosineSimilarity(p2, stopGradient(z1))));
        return tf.mul(tf.add(d12, d21), 0.5) as tf.Scalar;
      });
    },
  };
}
