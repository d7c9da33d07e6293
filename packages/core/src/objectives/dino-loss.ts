/**
 * DINO's self-distillation loss (Caron, Touvron, Misra, Jégou, Mairal, Bojanowski & Joulin
 * 2021, "Emerging Properties in Self-Supervised Vision Transformers", eq. 1-4 and Algorithm 1;
 * details as in the authors' main_dino.py, class DINOLoss):
 *
 *   P_t(x) = softmax((g_t(x) - c) / tau_t)        teacher: centred and sharpened, no gradient
 *   P_s(x) = softmax(g_s(x) / tau_s)              student
 *   L = 1/|pairs| sum_{g in global} sum_{v != g} mean_n  -sum_k P_t(x_g)_nk log P_s(x_v)_nk
 *
 * over the teacher's G global crops and the student's V crops, whose first G are the same
 * global crops (multi-crop: 2 global, V - 2 local): each teacher crop is compared with every
 * student crop except the same view, G (V - 1) pairs. The centre c is an input; the method keeps
 * it and updates it after the step with {@link dinoCenterUpdate} (eq. 4):
 *
 *   c <- m c + (1 - m) mean_rows g_t          (over all G N teacher rows, before centring)
 *
 * Stability: the student side is a log-softmax (log-sum-exp with the row maximum subtracted),
 * the teacher side a softmax, so tau_t = 0.01 and large logits stay finite.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { stopGradient } from '../methods/stop-gradient.js';
import { expectNumberOption, expectShape, shapeString } from './check-shapes.js';
import type { Objective } from './objective.js';

/** Options of {@link dinoLoss}. */
export interface DinoLossOptions {
  /** Student temperature tau_s; default 0.1 (DINO's). */
  studentTemperature?: number;
  /** Teacher temperature tau_t; default 0.04 (DINO's). A per-step value can be passed as an input. */
  teacherTemperature?: number;
}

/** Inputs of {@link dinoLoss}. */
export interface DinoLossInputs {
  /** Student head outputs of every crop, `[V, N, K]`, the G global crops first. */
  student: tf.Tensor3D;
  /** Teacher head outputs of the global crops, `[G, N, K]`, G <= V; gradient stopped. */
  teacher: tf.Tensor3D;
  /** The centre c, `[K]` or `[1, K]`; gradient stopped. */
  center: tf.Tensor1D | tf.Tensor2D;
  /** Overrides the option for this call (the teacher temperature schedule). */
  teacherTemperature?: number;
}

/**
 * DINO objective. Inputs: `student [V, N, K]`, `teacher [G, N, K]`, `center [K]`.
 * @throws ConfigError for non-positive temperatures; ShapeError (at compute) for mismatched
 * shapes, G > V, or no pair to compare (V < 2).
 */
export function dinoLoss(opts: DinoLossOptions = {}): Objective<DinoLossInputs> {
  const studentTemperature = opts.studentTemperature ?? 0.1;
  const teacherTemperature = opts.teacherTemperature ?? 0.04;
  expectNumberOption('dinoLoss.studentTemperature', studentTemperature, 0);
  expectNumberOption('dinoLoss.teacherTemperature', teacherTemperature, 0);
  return {
    name: 'dino',
    options: { studentTemperature, teacherTemperature },
    compute({ student, teacher, center, teacherTemperature: stepTemperature }) {
      const tauT = stepTemperature ?? teacherTemperature;
      expectNumberOption('dinoLoss.teacherTemperature (input)', tauT, 0);
      expectShape(student, 'dinoLoss: student', '[V >= 2, N, K]', 3, [student.shape[0] >= 2 ? null : -1]);
      const [v, n, k] = student.shape;
      expectShape(teacher, 'dinoLoss: teacher', `[G <= ${v}, ${n}, ${k}]`, 3, [null, n, k]);
      const g = teacher.shape[0];
      if (g > v) throw new ShapeError(`dinoLoss: teacher has ${g} crops but student only ${v}`);
      if (center.size !== k || center.rank > 2) {
        throw new ShapeError(`dinoLoss: center must be [${k}] or [1, ${k}], got ${shapeString(center.shape)}`);
      }
      return tf.tidy(() => {
        const centred = tf.sub(stopGradient(teacher), tf.reshape(stopGradient(center), [1, 1, k]));
        const pT = tf.reshape(tf.softmax(tf.div(centred, tauT)), [g, n * k]);
        const logPs = tf.reshape(tf.logSoftmax(tf.div(student, studentTemperature)), [v, n * k]);
        const cross = tf.matMul(pT, logPs, false, true); // [G, V]: sum_{n,k} P_t log P_s
        const pairs = tf.sub(1, tf.eye(g, v)); // v == g is the same view
        return tf.div(tf.neg(tf.sum(tf.mul(cross, pairs))), n * g * (v - 1)) as tf.Scalar;
      });
    },
  };
}

/**
 * The centre after one step: `momentum * center + (1 - momentum) * mean of the teacher's rows`
 * (all G N rows of `teacher [G, N, K]` or `[rows, K]`). Same shape as `center`; no gradient.
 * @param momentum in [0, 1]; default 0.9 (DINO's).
 * @throws ConfigError for a bad momentum; ShapeError when K differs.
 */
export function dinoCenterUpdate<C extends tf.Tensor1D | tf.Tensor2D>(
  center: C,
  teacher: tf.Tensor2D | tf.Tensor3D,
  momentum = 0.9,
): C {
  if (!(Number.isFinite(momentum) && momentum >= 0 && momentum <= 1)) {
    throw new ConfigError(`expected a number in [0, 1], got ${momentum}`, { field: 'dinoCenterUpdate.momentum' });
  }
  const k = teacher.shape[teacher.rank - 1];
  if (center.size !== k || center.rank > 2 || teacher.rank < 2) {
    throw new ShapeError(
      `dinoCenterUpdate: center ${shapeString(center.shape)} does not fit teacher ${shapeString(teacher.shape)}`,
    );
  }
  return tf.tidy(() => {
    const batchCenter = tf.mean(tf.reshape(teacher, [-1, k]), 0);
    return tf.add(tf.mul(center, momentum), tf.mul(tf.reshape(batchCenter, center.shape), 1 - momentum)) as C;
  });
}

/**
 * DINO's teacher temperature schedule: linear from `start` to `end` over `warmupSteps`, then
 * `end` (the paper's ViT-S runs: 0.04 -> 0.07 over 30 epochs; main_dino.py's default keeps 0.04).
 * @throws ConfigError for a negative warmupSteps or non-positive temperatures.
 */
export function dinoTeacherTemperature(step: number, warmupSteps: number, start = 0.04, end = 0.07): number {
  expectNumberOption('dinoTeacherTemperature.warmupSteps', warmupSteps, 0, true);
  expectNumberOption('dinoTeacherTemperature.start', start, 0);
  expectNumberOption('dinoTeacherTemperature.end', end, 0);
  if (step >= warmupSteps) return end;
  return start + ((end - start) * Math.max(step, 0)) / warmupSteps;
}
