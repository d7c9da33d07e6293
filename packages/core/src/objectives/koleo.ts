/**
 * KoLeo regulariser, from the Kozachenko-Leonenko differential entropy estimator (Sablayrolles,
 * Douze, Schmid & Jégou 2019, "Spreading vectors for similarity search"; used in DINOv2, Oquab
 * et al. 2023, with the details of its koleo_loss.py):
 *
 *   L = -1/N sum_i log( || x_i - x_nn(i) + eps ||_2 + eps ),   nn(i) = argmax_{j != i} x_i . x_j
 *
 * over the l2-normalised rows x of a batch. Minimising it pushes every embedding away from its
 * nearest neighbour, spreading the batch over the sphere; it can be added to any method's loss
 * (DINOv2 weights it 0.1). The neighbour index is chosen without gradient; the gradient flows
 * into both rows of each pair. eps = 1e-8 (inside the norm as torch's PairwiseDistance, and
 * outside) keeps identical rows finite.
 */
import * as tf from '@tensorflow/tfjs';
import { expectNumberOption, expectShape } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Options of {@link koleo}. */
export interface KoleoOptions {
  /** Added inside the norm and to the distance before the log; default 1e-8 (DINOv2's). */
  eps?: number;
}

/** Inputs of {@link koleo}: embeddings `[N, D]`, N >= 2. */
export interface KoleoInputs {
  z: tf.Tensor2D;
}

/** Excludes each row from its own neighbour search (a cosine is at least -1). */
const SELF_VALUE = -1e9;

/**
 * KoLeo objective: `-mean_i log(|x_i - x_nn(i) + eps| + eps)` on l2-normalised rows.
 * @throws ConfigError for a non-positive eps; ShapeError (at compute) for fewer than 2 rows.
 */
export function koleo(opts: KoleoOptions = {}): Objective<KoleoInputs> {
  const eps = opts.eps ?? 1e-8;
  expectNumberOption('koleo.eps', eps, 0);
  return {
    name: 'koleo',
    options: { eps },
    compute({ z }) {
      expectShape(z, 'koleo: z', '[N >= 2, D]', 2, [z.shape[0] >= 2 ? null : -1]);
      return tf.tidy(() => {
        const x = l2NormalizeRows(z, eps);
        const dots = tf.add(tf.matMul(x, x, false, true), tf.mul(tf.eye(z.shape[0]), SELF_VALUE));
        // Selecting rows by a one-hot product rather than tf.gather keeps the index off the
        // gradient path (tfjs would try to differentiate gather's integer indices).
        const neighbour = tf.matMul(tf.oneHot(tf.argMax(dots, 1), z.shape[0]), x);
        const distance = tf.sqrt(tf.sum(tf.square(tf.add(tf.sub(x, neighbour), eps)), 1));
        return tf.neg(tf.mean(tf.log(tf.add(distance, eps)))) as tf.Scalar;
      });
    },
  };
}
