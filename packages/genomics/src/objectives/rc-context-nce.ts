/**
 * The Self-GenomeNet objective (Gündüz et al. 2023, "A self-supervised deep learning method
 * for data-efficient training in genomics", Communications Biology 6:928, Methods and Fig. 1;
 * loss as in the authors' released loss function): a batch holds N sequences followed by their
 * N reverse complements, and the context network has read P patches of each. For a gap g and
 * a position a (0-based), row r's prediction W_g c_{r,a}, made from patches 0..a of its strand,
 * must pick out the context c_{r',b} of the *other* strand of the same sequence, r' = (r + N)
 * mod 2N, at b = P - a - g - 2: the reverse-complement context that has read the rest of the
 * sequence from the far end up to g patches after a. Every other row at position b is a
 * negative (the row's own strand is masked out):
 *
 *   L_g = mean_{a, r} -log softmax_{r''}( W_g c_{r,a} · c_{r'',b} - 1000 [r'' = r] )_{r'}
 *   L   = mean_g L_g,   a = 0 .. P - g - 2
 *
 * Varying a varies both the query and the target length ("multiple target lengths"); varying
 * g sets how far apart the two halves are.
 */
import { ShapeError, infoNCEFromLogits, type Objective } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Inputs of {@link rcContextNCE}. */
export interface RcContextNCEInputs {
  /** Contexts of N sequences then their N reverse complements, `[2N, P, h]`. */
  context: tf.Tensor3D;
  /** Per gap, the predictions W_g c of every context, `[2N, P, h]` each (index-aligned with `gaps`). */
  predictions: tf.Tensor3D[];
}

/** Options of {@link rcContextNCE}. */
export interface RcContextNCEOptions {
  /** Patches skipped between a query and its target, one predictor per gap. */
  gaps: readonly number[];
}

/** Logits `[J * 2N, 2N]` and target indices of one gap. */
function gapLogits(
  context: tf.Tensor3D,
  prediction: tf.Tensor3D,
  gap: number,
): { logits: tf.Tensor2D; targets: number[] } {
  const [rows, p] = context.shape;
  const n = rows / 2;
  const j = p - gap - 1;
  const qIdx = Array.from({ length: j }, (_, a) => a);
  const tIdx = qIdx.map((a) => p - a - gap - 2);
  const q = tf.transpose(tf.gather(prediction, qIdx, 1), [1, 0, 2]); // [J, 2N, h]
  const t = tf.transpose(tf.gather(context, tIdx, 1), [1, 0, 2]); // [J, 2N, h]
  const scores = tf.sub(tf.matMul(q, t, false, true), tf.mul(tf.eye(rows), 1000)); // [J, 2N, 2N]
  const targets: number[] = [];
  for (let a = 0; a < j; a++) for (let r = 0; r < rows; r++) targets.push((r + n) % rows);
  return { logits: tf.reshape(scores, [j * rows, rows]), targets };
}

/** Checks inputs; returns the number of patches. */
function check(inputs: RcContextNCEInputs, gaps: readonly number[]): void {
  const { context, predictions } = inputs;
  if (context.rank !== 3 || context.shape[0] % 2 !== 0) {
    throw new ShapeError(
      `rcContextNCE: context must be [2N, P, h] (sequences then their reverse complements), got [${context.shape}]`,
    );
  }
  if (predictions.length !== gaps.length) {
    throw new ShapeError(`rcContextNCE: ${predictions.length} predictions for ${gaps.length} gaps`);
  }
  for (const pr of predictions) {
    if (pr.shape.join() !== context.shape.join()) {
      throw new ShapeError(`rcContextNCE: prediction [${pr.shape}] does not match context [${context.shape}]`);
    }
  }
  for (const g of gaps) {
    if (!Number.isInteger(g) || g < 0 || g > context.shape[1] - 2) {
      throw new ShapeError(`rcContextNCE: gap ${g} needs at least ${g + 2} patches, got ${context.shape[1]}`);
    }
  }
}

/** The Self-GenomeNet reverse-complement context InfoNCE. */
export function rcContextNCE(options: RcContextNCEOptions): Objective<RcContextNCEInputs> {
  const gaps = [...options.gaps];
  return {
    name: 'rc-context-nce',
    options: { gaps },
    compute(inputs) {
      check(inputs, gaps);
      return tf.tidy(() => {
        const losses = gaps.map((g, i) => {
          const { logits, targets } = gapLogits(inputs.context, inputs.predictions[i]!, g);
          return infoNCEFromLogits(logits, targets);
        });
        return tf.mean(tf.stack(losses)) as tf.Scalar;
      });
    },
  };
}

/** Top-1 accuracy of picking the other strand's context, averaged like the loss. */
export function rcContextAccuracy(inputs: RcContextNCEInputs, gaps: readonly number[]): tf.Scalar {
  check(inputs, gaps);
  return tf.tidy(() => {
    const accs = gaps.map((g, i) => {
      const { logits, targets } = gapLogits(inputs.context, inputs.predictions[i]!, g);
      return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(targets, 'int32')), 'float32'));
    });
    return tf.mean(tf.stack(accs)) as tf.Scalar;
  });
}
