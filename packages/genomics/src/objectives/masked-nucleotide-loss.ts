/**
 * The masked-nucleotide objective (BERT's masked language model, Devlin et al. 2019, on single
 * bases as in DNABERT's masked-token task, Ji et al. 2021): softmax cross-entropy of the
 * predicted base at every masked position whose true base is known,
 *
 *   L = sum_{i} m_i k_i CE(logits_i, y_i) / sum_i m_i k_i,   k_i = 1 if base i is not N
 *
 * averaged over those positions only (0 when there are none).
 */
import { ShapeError, type Objective } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Inputs of {@link maskedNucleotideLoss}. */
export interface MaskedNucleotideInputs {
  /** Predicted base logits, `[batch, length, 4]` (ACGT). */
  logits: tf.Tensor3D;
  /** The unmasked one-hot input, `[batch, length, 4]` (N rows are all zero). */
  target: tf.Tensor3D;
  /** 1 where a base was masked, `[batch, length]`. */
  mask: tf.Tensor2D;
}

/** Masked-nucleotide cross-entropy. */
export function maskedNucleotideLoss(): Objective<MaskedNucleotideInputs> {
  return {
    name: 'masked-nucleotide',
    options: {},
    compute({ logits, target, mask }) {
      if (logits.shape.join() !== target.shape.join() || logits.shape[2] !== 4) {
        throw new ShapeError(
          `maskedNucleotideLoss: logits [${logits.shape}] and target [${target.shape}] must be [batch, length, 4]`,
        );
      }
      if (mask.shape.join() !== logits.shape.slice(0, 2).join()) {
        throw new ShapeError(`maskedNucleotideLoss: mask [${mask.shape}] must be [${logits.shape.slice(0, 2)}]`);
      }
      return tf.tidy(() => {
        const known = tf.sum(target, 2); // [batch, length]: 1 for ACGT, 0 for N
        const w = tf.mul(mask, known);
        const logp = tf.logSoftmax(logits, 2);
        const ce = tf.neg(tf.sum(tf.mul(target, logp), 2)); // [batch, length]
        return tf.div(tf.sum(tf.mul(ce, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
      });
    },
  };
}
