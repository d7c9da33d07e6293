/**
 * Supervised contrastive loss, L_out (Khosla, Teterwak, Wang, Sarna, Tian, Isola, Maschinot,
 * Liu & Krishnan 2020, "Supervised Contrastive Learning", eq. 2; details as in the authors'
 * SupContrast losses.py, contrast mode 'all'):
 *
 *   L = (T / T_base) 1/|I| sum_{i in I} -1/|P(i)| sum_{p in P(i)} log( exp(z_i . z_p / T) / sum_{a in A(i)} exp(z_i . z_a / T) )
 *
 * over the V N l2-normalised views I of a batch of N samples, A(i) = I \ {i}, P(i) = the views
 * in A(i) with the label of i (the other views of the same sample always among them). Without
 * labels every sample is its own class (SimCLR's NT-Xent). An anchor without positives (one
 * view, a singleton label) contributes 0 but still counts in the mean, as in the reference
 * code. T = 0.07; T_base defaults to T (no rescaling; the reference code fixes it at 0.07).
 * Stability: log-sum-exp with the row maximum subtracted; self-similarity masked with -1e9.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { expectShape, numberOption } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import type { Objective } from './objective.js';

/** Options of {@link supcon}. */
export interface SupConOptions {
  /** Temperature T; default 0.07 (SupCon's). */
  temperature?: number;
  /** The loss is scaled by T / baseTemperature; default T (scale 1). */
  baseTemperature?: number;
}

/** Inputs of {@link supcon}. */
export interface SupConInputs {
  /** Projections of V views of N samples, `[V, N, D]`, V * N >= 2. */
  views: tf.Tensor3D;
  /** Class of each sample, N integers (or a `[N]` tensor); omitted: each sample its own class. */
  labels?: tf.Tensor1D | readonly number[];
}

const MASK_VALUE = -1e9;

/**
 * SupCon objective (L_out). Inputs `views [V, N, D]`, optional `labels [N]`.
 * @throws ConfigError for non-positive temperatures; ShapeError (at compute) for a label count
 * other than N or fewer than 2 views in all.
 */
export function supcon(opts: SupConOptions = {}): Objective<SupConInputs> {
  const temperature = numberOption('supcon.temperature', opts.temperature, 0.07);
  const baseTemperature = numberOption('supcon.baseTemperature', opts.baseTemperature, temperature);
  return {
    name: 'supcon',
    options: { temperature, baseTemperature },
    compute({ views, labels }) {
      expectShape(views, 'supcon: views', '[V, N, D]', 3);
      const [v, n, d] = views.shape;
      if (v * n < 2) throw new ShapeError(`supcon: needs at least 2 views in all, got [${v},${n},${d}]`);
      const count = labels === undefined ? n : labels instanceof tf.Tensor ? labels.size : labels.length;
      if (count !== n) throw new ShapeError(`supcon: expected ${n} labels (one per sample), got ${count}`);
      return tf.tidy(() => {
        const m = v * n;
        const z = l2NormalizeRows(tf.reshape(views, [m, d]) as tf.Tensor2D); // row r = view r / N of sample r % N
        const notSelf = tf.sub(1, tf.eye(m));
        const logits = tf.add(tf.div(tf.matMul(z, z, false, true), temperature), tf.mul(tf.eye(m), MASK_VALUE));
        const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true));
        const ids =
          labels === undefined
            ? tf.range(0, n)
            : labels instanceof tf.Tensor
              ? tf.cast(tf.reshape(labels, [n]), 'float32')
              : tf.tensor1d(Array.from(labels), 'float32');
        const rowIds = tf.tile(ids, [v]); // [M], label of each row
        const positives = tf.mul(
          tf.cast(tf.equal(tf.expandDims(rowIds, 1), tf.expandDims(rowIds, 0)), 'float32'),
          notSelf,
        );
        const perAnchor = tf.div(tf.sum(tf.mul(positives, logProb), 1), tf.maximum(tf.sum(positives, 1), 1));
        return tf.mul(tf.mean(perAnchor), -temperature / baseTemperature) as tf.Scalar;
      });
    },
  };
}
