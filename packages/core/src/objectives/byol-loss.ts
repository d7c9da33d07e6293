/**
 * BYOL's regression loss (Grill et al. 2020, "Bootstrap Your Own Latent", eq. 2):
 *
 *   L = mean_i || q_i/|q_i| - sg(z'_i)/|z'_i| ||^2 = mean_i (2 - 2 cos(q_i, sg(z'_i)))
 *
 * with q the online prediction and z' the target projection of the other view; no gradient
 * reaches the target (stop-gradient). One direction only: the method adds the symmetric term
 * (views swapped), as in eq. 3. The EMA target network lives in the method (methods/ema.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectSameRows } from './check-shapes.js';
import { rowCosineSimilarity } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Inputs of {@link byolLoss}. */
export interface ByolInputs {
  /** Online predictor output q, `[N, D]`. */
  prediction: tf.Tensor2D;
  /** Target network projection z', `[N, D]`; gradient stopped. */
  target: tf.Tensor2D;
}

/** BYOL objective: `mean(2 - 2 cos(prediction, sg(target)))`, in [0, 4]. */
export function byolLoss(): Objective<ByolInputs> {
  return {
    name: 'byol',
    options: {},
    compute({ prediction, target }) {
      expectSameRows(prediction, target, 'byolLoss', 'prediction', 'target');
      return tf.tidy(() => {
        const cos = rowCosineSimilarity(prediction, stopGradient(target));
        return tf.mean(tf.sub(2, tf.mul(2, cos))) as tf.Scalar;
      });
    },
  };
}
