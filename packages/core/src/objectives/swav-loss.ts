/**
 * SwAV's swapped prediction (Caron, Misra, Mairal, Goyal, Bojanowski & Joulin 2020,
 * "Unsupervised Learning of Visual Features by Contrasting Cluster Assignments", eq. 1-2;
 * details as in the authors' main_swav.py):
 *
 *   p_v = softmax(s_v / tau)                    s_v = z_v C^T, prototype scores of crop v
 *   q_a = SinkhornKnopp(s_a)                    codes of an assignment crop a, no gradient
 *   L = 1/|A| sum_{a in A} 1/(V - 1) sum_{v != a} mean_n  -sum_k q_a,nk log p_v,nk
 *
 * A = the first `assignCrops` crops (SwAV: the 2 global crops of a multi-crop batch); every
 * other crop predicts their codes. tau = 0.1. For small batches SwAV computes each code over
 * the batch plus a queue of earlier projections: the queue lives in the method, which passes
 * `codes` made with {@link swavCodes}. With uniform predictions the loss is exactly ln K.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectNumberOption, expectShape } from './check-shapes.js';
import type { Objective } from './objective.js';
import { type SinkhornKnoppOptions, sinkhornKnopp, sinkhornKnoppOptions } from './sinkhorn-knopp.js';

/** Options of {@link swavLoss}. */
export interface SwavLossOptions extends SinkhornKnoppOptions {
  /** Softmax temperature of the predictions; default 0.1 (SwAV's). */
  temperature?: number;
  /** How many leading crops get codes (SwAV's crops_for_assign = [0, 1]); default 2. */
  assignCrops?: number;
}

/** Inputs of {@link swavLoss}. */
export interface SwavLossInputs {
  /** Prototype scores of every crop, `[V, N, K]`, assignment crops first. */
  scores: tf.Tensor3D;
  /** Precomputed codes of the first A crops, `[A, N, K]` (e.g. over batch + queue); gradient stopped. */
  codes?: tf.Tensor3D;
}

/**
 * Codes of one crop's `scores [N, K]`, computed by Sinkhorn-Knopp over the queue's scores
 * `[M, K]` (projections of earlier batches against the current prototypes) followed by the
 * batch, keeping the batch's N rows. Without a queue, `sinkhornKnopp(scores)`.
 */
export function swavCodes(
  scores: tf.Tensor2D,
  queueScores?: tf.Tensor2D,
  opts: SinkhornKnoppOptions = {},
): tf.Tensor2D {
  expectShape(scores, 'swavCodes: scores', '[N, K]', 2);
  const [n, k] = scores.shape;
  if (queueScores === undefined) return sinkhornKnopp(scores, opts);
  expectShape(queueScores, 'swavCodes: queueScores', `[M, ${k}]`, 2, [null, k]);
  return tf.tidy(() => {
    const all = sinkhornKnopp(tf.concat([queueScores, scores], 0) as tf.Tensor2D, opts);
    return tf.slice(all, [queueScores.shape[0], 0], [n, k]);
  });
}

/**
 * SwAV objective. Inputs: `scores [V, N, K]`, optional `codes [A, N, K]`.
 * @throws ConfigError for bad options; ShapeError (at compute) for mismatched shapes, fewer
 * than 2 crops, or more assignment crops than crops.
 */
export function swavLoss(opts: SwavLossOptions = {}): Objective<SwavLossInputs> {
  const temperature = opts.temperature ?? 0.1;
  const assignCrops = opts.assignCrops ?? 2;
  const sinkhorn = sinkhornKnoppOptions(opts, 'swavLoss');
  expectNumberOption('swavLoss.temperature', temperature, 0);
  if (!(Number.isInteger(assignCrops) && assignCrops >= 1)) {
    throw new ConfigError(`expected an integer >= 1, got ${assignCrops}`, { field: 'swavLoss.assignCrops' });
  }
  return {
    name: 'swav',
    options: { temperature, assignCrops, ...sinkhorn },
    compute({ scores, codes }) {
      expectShape(scores, 'swavLoss: scores', '[V >= 2, N, K]', 3, [scores.shape[0] >= 2 ? null : -1]);
      const [v, n, k] = scores.shape;
      const a = codes?.shape[0] ?? assignCrops;
      if (codes !== undefined) expectShape(codes, 'swavLoss: codes', `[A, ${n}, ${k}]`, 3, [null, n, k]);
      if (a > v) throw new ShapeError(`swavLoss: ${a} assignment crops but only ${v} crops in scores`);
      return tf.tidy(() => {
        // One Sinkhorn-Knopp per assignment crop (slices, not tf.unstack: tfjs's unstack gradient
        // fails when there is a single crop).
        const perCrop = (i: number) =>
          sinkhornKnopp(tf.reshape(tf.slice(scores, [i, 0, 0], [1, n, k]), [n, k]), sinkhorn);
        const q = codes === undefined ? tf.stack(Array.from({ length: a }, (_, i) => perCrop(i))) : stopGradient(codes);
        const logP = tf.logSoftmax(tf.div(scores, temperature));
        const cross = tf.matMul(tf.reshape(q, [a, n * k]), tf.reshape(logP, [v, n * k]), false, true); // [A, V]
        const pairs = tf.sub(1, tf.eye(a, v));
        return tf.div(tf.neg(tf.sum(tf.mul(cross, pairs))), n * a * (v - 1)) as tf.Scalar;
      });
    },
  };
}
