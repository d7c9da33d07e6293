/**
 * Sinkhorn-Knopp equipartition of SwAV (Caron, Misra, Mairal, Goyal, Bojanowski & Joulin 2020,
 * "Unsupervised Learning of Visual Features by Contrasting Cluster Assignments", sec. 3.1;
 * details as in the authors' main_swav.py, distributed_sinkhorn):
 *
 *   Q = exp(S / epsilon),  Q <- Q / sum(Q)
 *   repeat `iterations` times:
 *     every prototype (column k) rescaled to total 1/K
 *     every sample (row b) rescaled to total 1/B
 *   codes = B Q                                   rows sum to 1 (soft assignments)
 *
 * S are prototype scores `[B, K]` (cosines of normalised projections and prototypes). SwAV
 * uses epsilon = 0.05 and 3 iterations. The iterations run in the log domain (every rescaling
 * is a subtraction of a log-sum-exp), which is the same arithmetic without the overflow of
 * exp(S / epsilon) for small epsilon. No gradient flows through the codes.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectNumberOption, expectShape } from './check-shapes.js';

/** Options of {@link sinkhornKnopp}. */
export interface SinkhornKnoppOptions {
  /** Entropy weight epsilon (scores are divided by it); default 0.05 (SwAV's). */
  epsilon?: number;
  /** Number of row + column normalisations; default 3 (SwAV's). */
  iterations?: number;
}

/** Checks {@link SinkhornKnoppOptions} and fills the defaults; `what` names the caller. */
export function sinkhornKnoppOptions(opts: SinkhornKnoppOptions, what: string): Required<SinkhornKnoppOptions> {
  const epsilon = opts.epsilon ?? 0.05;
  const iterations = opts.iterations ?? 3;
  expectNumberOption(`${what}.epsilon`, epsilon, 0);
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw new ConfigError(`expected an integer >= 1, got ${iterations}`, { field: `${what}.iterations` });
  }
  return { epsilon, iterations };
}

/**
 * Soft equipartitioned assignments of `scores [B, K]` to K prototypes, `[B, K]`, each row
 * summing to 1 and each column to about B / K. The result carries no gradient.
 * @throws ConfigError for bad options; ShapeError for a scores tensor that is not `[B, K]`.
 */
export function sinkhornKnopp(scores: tf.Tensor2D, opts: SinkhornKnoppOptions = {}): tf.Tensor2D {
  const { epsilon, iterations } = sinkhornKnoppOptions(opts, 'sinkhornKnopp');
  expectShape(scores, 'sinkhornKnopp: scores', '[B, K]', 2);
  const [b, k] = scores.shape;
  return tf.tidy(() => {
    let logQ: tf.Tensor2D = tf.div(stopGradient(scores), epsilon);
    logQ = tf.sub(logQ, tf.logSumExp(logQ));
    for (let i = 0; i < iterations; i++) {
      logQ = tf.sub(logQ, tf.add(tf.logSumExp(logQ, 0, true), Math.log(k))); // prototypes total 1/K
      logQ = tf.sub(logQ, tf.add(tf.logSumExp(logQ, 1, true), Math.log(b))); // samples total 1/B
    }
    return tf.exp(tf.add(logQ, Math.log(b))) as tf.Tensor2D;
  });
}
