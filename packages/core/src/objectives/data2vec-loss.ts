/**
 * data2vec (Baevski, Hsu, Xu, Babu, Gu & Auli 2022, "data2vec: A General Framework for
 * Self-supervised Learning in Speech, Vision and Language", sec. 3.3-3.4; details as in
 * fairseq's data2vec_audio.py / data2vec_text.py):
 *
 *   y_t = 1/K sum_{l = L-K+1}^{L} norm(a_t^l)          target: the teacher's top K layers
 *   l(y, f) = sum_d  (y_d - f_d)^2                               beta = 0 (L2)
 *                    (y_d - f_d)^2 / (2 beta) if |y_d - f_d| <= beta, else |y_d - f_d| - beta/2
 *   L = scale * 1/|M| sum_{(b,t) in M} l(y_bt, f_bt)            M = masked positions
 *
 * a^l = output of the EMA teacher's block l on the unmasked input, f = the student's regression
 * head on the masked input. `norm` is parameter-less: instance norm (each channel over the
 * time steps of one sample; the paper's choice for speech) or layer norm (each position over
 * its channels; for text and vision), eps 1e-5; optionally the average is normalised again.
 * scale = 1/sqrt(D) by default. Presets from fairseq's configs: audio (base_librispeech.yaml)
 * K = 8, instance norm, beta = 0; text (text/pretraining/base.yaml) K = 10, layer norm, beta = 4,
 * scale = 1. The EMA teacher and masking live in the method.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectNumberOption, expectSameShape, expectShape } from './check-shapes.js';
import type { Objective } from './objective.js';

/** Parameter-less normalisation of a `[B, T, D]` layer output. */
export type Data2VecNorm = 'instance' | 'layer' | 'none';

/** Options of {@link data2vecTargets}. */
export interface Data2VecTargetOptions {
  /** How many of the last layers to average; default 8 (audio). */
  topK?: number;
  /** Normalisation of each layer before averaging; default 'instance'. */
  layerNorm?: Data2VecNorm;
  /** Normalisation of the average; default 'none'. */
  targetNorm?: Data2VecNorm;
}

/** Options of {@link data2vecLoss}. */
export interface Data2VecLossOptions {
  /** Smooth-L1 width; 0 (default) means squared error. */
  beta?: number;
  /** Multiplies the loss; default 1/sqrt(D). */
  scale?: number;
}

/** Inputs of {@link data2vecLoss}. */
export interface Data2VecLossInputs {
  /** The student's regression outputs, `[B, T, D]`. */
  prediction: tf.Tensor3D;
  /** The teacher targets ({@link data2vecTargets}), `[B, T, D]`; gradient stopped. */
  target: tf.Tensor3D;
  /** Which positions count, `[B, T]`: 1 (or true) = masked, 0 = not; omitted: all. No gradient. */
  mask?: tf.Tensor2D;
}

const NORM_EPS = 1e-5;
const NORMS: readonly Data2VecNorm[] = ['instance', 'layer', 'none'];

function normalise(x: tf.Tensor3D, kind: Data2VecNorm): tf.Tensor3D {
  if (kind === 'none') return x;
  const { mean, variance } = tf.moments(x, kind === 'instance' ? 1 : 2, true); // biased variance
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, NORM_EPS)));
}

function checkNorm(field: string, value: Data2VecNorm): void {
  if (!NORMS.includes(value)) throw new ConfigError(`expected one of ${NORMS.join(', ')}, got ${value}`, { field });
}

/**
 * The data2vec target from the teacher's layer outputs `[B, T, D]` each (all blocks in order;
 * the last `topK` are used): each normalised, averaged, optionally normalised again. No gradient.
 * @throws ConfigError for bad options or topK above the number of layers; ShapeError for
 * layers of different shapes.
 */
export function data2vecTargets(layers: readonly tf.Tensor3D[], opts: Data2VecTargetOptions = {}): tf.Tensor3D {
  const topK = opts.topK ?? 8;
  const layerNorm = opts.layerNorm ?? 'instance';
  const targetNorm = opts.targetNorm ?? 'none';
  if (!(Number.isInteger(topK) && topK >= 1 && topK <= layers.length)) {
    throw new ConfigError(`expected an integer in [1, ${layers.length}] (the layers given), got ${topK}`, {
      field: 'data2vecTargets.topK',
    });
  }
  checkNorm('data2vecTargets.layerNorm', layerNorm);
  checkNorm('data2vecTargets.targetNorm', targetNorm);
  const top = layers.slice(layers.length - topK);
  expectShape(top[0], 'data2vecTargets: layer', '[B, T, D]', 3);
  for (const l of top) expectSameShape(top[0], l, 'data2vecTargets', 'every layer', 'layer');
  return tf.tidy(() => {
    const mean = tf.div(tf.addN(top.map((l) => normalise(stopGradient(l), layerNorm))), topK) as tf.Tensor3D;
    return normalise(mean, targetNorm);
  });
}

/**
 * data2vec regression objective at masked positions. Inputs `prediction`, `target` `[B, T, D]`,
 * optional `mask [B, T]`. With no masked position the loss is 0.
 * @throws ConfigError for a negative beta or non-positive scale; ShapeError (at compute) for
 * mismatched shapes.
 */
export function data2vecLoss(opts: Data2VecLossOptions = {}): Objective<Data2VecLossInputs> {
  const beta = opts.beta ?? 0;
  expectNumberOption('data2vecLoss.beta', beta, 0, true);
  if (opts.scale !== undefined) expectNumberOption('data2vecLoss.scale', opts.scale, 0);
  return {
    name: 'data2vec',
    options: { beta, ...(opts.scale === undefined ? {} : { scale: opts.scale }) },
    compute({ prediction, target, mask }) {
      expectShape(prediction, 'data2vecLoss: prediction', '[B, T, D]', 3);
      expectSameShape(prediction, target, 'data2vecLoss', 'prediction', 'target');
      const [b, t, d] = prediction.shape;
      if (mask !== undefined && (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== t)) {
        throw new ShapeError(`data2vecLoss: mask must be [${b}, ${t}], got [${mask.shape.join(',')}]`);
      }
      const scale = opts.scale ?? 1 / Math.sqrt(d);
      return tf.tidy(() => {
        const diff = tf.sub(prediction, stopGradient(target));
        // Smooth L1 as 0.5 min(|x|, beta)^2 / beta + |x| - min(|x|, beta): no comparison op on
        // the gradient path (tfjs has no gradient for Less).
        const abs = tf.abs(diff);
        const inner = tf.minimum(abs, beta);
        const perDim = beta === 0 ? tf.square(diff) : tf.add(tf.div(tf.square(inner), 2 * beta), tf.sub(abs, inner));
        const perPosition = tf.sum(perDim, 2); // [B, T]
        const m = mask === undefined ? tf.onesLike(perPosition) : stopGradient(tf.cast(mask, 'float32'));
        const total = tf.sum(tf.mul(perPosition, m));
        return tf.mul(tf.div(total, tf.maximum(tf.sum(m), 1)), scale) as tf.Scalar;
      });
    },
  };
}
