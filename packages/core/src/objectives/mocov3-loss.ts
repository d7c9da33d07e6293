/**
 * MoCo v3's symmetric contrastive loss (Chen, Xie & He 2021, "An Empirical Study of Training
 * Self-Supervised Vision Transformers", Algorithm 1 and the authors' moco/builder.py):
 *
 *   ctr(q, k) = 2T * mean_i -log( exp(q_i . k_i / T) / sum_j exp(q_i . k_j / T) )
 *   L = ctr(q1, sg(k2)) + ctr(q2, sg(k1))
 *
 * q = predictor outputs of the base encoder, k = momentum-encoder outputs of the other view,
 * both l2-normalised; the keys of the same batch are the negatives (no queue), N - 1 per query.
 * The 2T factor is the reference code's (it keeps the gradient scale independent of T).
 * T = 1.0 (ResNet; the paper uses 0.2 for ViT). The momentum encoder lives in the method.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectShape, numberOption } from './check-shapes.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { inBatchInfoNCE } from './info-nce.js';
import type { Objective } from './objective.js';

/** Options of {@link mocov3Loss}. */
export interface MocoV3LossOptions {
  /** Temperature T; default 1.0 (MoCo v3's ResNet setting; 0.2 for ViT). */
  temperature?: number;
}

/** Inputs of {@link mocov3Loss}: `[N, D]` each. */
export interface MocoV3LossInputs {
  /** Queries (predictor outputs) of view 1 and view 2. */
  q1: tf.Tensor2D;
  q2: tf.Tensor2D;
  /** Keys (momentum encoder outputs) of view 1 and view 2; gradient stopped. */
  k1: tf.Tensor2D;
  k2: tf.Tensor2D;
}

/**
 * MoCo v3 objective: `ctr(q1, k2) + ctr(q2, k1)`.
 * @throws ConfigError for a non-positive temperature; ShapeError (at compute) for mismatched shapes.
 */
export function mocov3Loss(opts: MocoV3LossOptions = {}): Objective<MocoV3LossInputs> {
  const temperature = numberOption('mocov3Loss.temperature', opts.temperature, 1);
  const ctr = (q: tf.Tensor2D, k: tf.Tensor2D): tf.Scalar =>
    tf.mul(inBatchInfoNCE(l2NormalizeRows(q), l2NormalizeRows(stopGradient(k)), temperature), 2 * temperature);
  return {
    name: 'mocov3',
    options: { temperature },
    compute({ q1, q2, k1, k2 }) {
      expectShape(q1, 'mocov3Loss: q1', '[N, D]', 2);
      const [n, d] = q1.shape;
      for (const [name, x] of [
        ['q2', q2],
        ['k1', k1],
        ['k2', k2],
      ] as const) {
        expectShape(x, `mocov3Loss: ${name}`, `[${n}, ${d}] (as q1)`, 2, [n, d]);
      }
      return tf.tidy(() => tf.add(ctr(q1, k2), ctr(q2, k1)) as tf.Scalar);
    },
  };
}
