/**
 * IMAX, Becker & Hinton (1992), "Self-organizing neural network that discovers surfaces in
 * random-dot stereograms", Nature 355:161-163, eq. 1 (Gaussian signal plus independent noise):
 *
 *   I(a; b) = 0.5 * log( Var(a + b) / Var(a - b) )
 *
 * the mutual information between two modules' scalar outputs `a` and `b` when both are the
 * same Gaussian signal corrupted by independent Gaussian noise. Var is the batch (population)
 * variance; `eps` is added to both variances so a constant output gives 0, not NaN. The loss
 * is `-I`: maximising agreement relative to disagreement, with no label.
 */
import { ConfigError, type Objective, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link imax}. */
export interface ImaxOptions {
  /** Added to both variances; default 1e-6. */
  eps?: number;
}

/** Inputs of {@link imax}: the two modules' scalar outputs over one batch, `[batch]` each, batch >= 2. */
export interface ImaxInputs {
  a: tf.Tensor1D;
  b: tf.Tensor1D;
}

function populationVariance(x: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(x, tf.mean(x)))) as tf.Scalar;
}

/**
 * The IMAX information `0.5 log((Var(a+b)+eps) / (Var(a-b)+eps))` in nats, a scalar.
 * @throws ShapeError when `a` and `b` are not 1-D of the same length >= 2.
 */
export function imaxInformation(a: tf.Tensor1D, b: tf.Tensor1D, eps = 1e-6): tf.Scalar {
  if (a.rank !== 1 || b.rank !== 1 || a.shape[0] !== b.shape[0] || a.shape[0] < 2) {
    throw new ShapeError(
      `imax: expected a and b of shape [batch >= 2] with the same batch, got [${a.shape}] and [${b.shape}]`,
    );
  }
  return tf.tidy(() => {
    const sum = populationVariance(tf.add(a, b) as tf.Tensor1D);
    const diff = populationVariance(tf.sub(a, b) as tf.Tensor1D);
    return tf.mul(0.5, tf.log(tf.div(tf.add(sum, eps), tf.add(diff, eps)))) as tf.Scalar;
  });
}

/**
 * IMAX objective: `compute({ a, b })` is `-I(a; b)` (minimise it to maximise the information).
 * @throws ConfigError for a non-positive or non-finite eps.
 */
export function imax(opts: ImaxOptions = {}): Objective<ImaxInputs> {
  const eps = opts.eps ?? 1e-6;
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new ConfigError(`expected a finite number > 0, got ${eps}`, { field: 'imax.eps' });
  }
  return {
    name: 'imax',
    options: { eps },
    compute: ({ a, b }) => tf.tidy(() => tf.neg(imaxInformation(a, b, eps)) as tf.Scalar),
  };
}
