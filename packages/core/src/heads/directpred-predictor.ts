/**
 * DirectPred (Tian, Chen & Ganguli 2021, "Understanding self-supervised learning dynamics
 * without contrastive pairs", ICML, sec. 5, eq. 18-19): instead of learning BYOL's / SimSiam's
 * linear predictor by gradient descent, set it in closed form from the correlation of the
 * online embeddings f (before the predictor):
 *
 *   F   <- rho F + (1 - rho) mean_b f_b f_b^T          (eq. 19; the first update sets F)
 *   F    = U diag(s) U^T                               (symmetric eigendecomposition)
 *   W_p  = U diag(p) U^T,  p_j = sqrt(max(s_j, 0) / max_j s_j) + eps   (eq. 18)
 *
 * Defaults follow the authors' reference command (facebookresearch/luckmatters,
 * ssl/real-dataset README: `dyn_lambda=0.3 dyn_eps=0.01 predictor_freq=1`): rho = 0.3,
 * eps = 0.01, recomputed every update; like their code, p is clamped below at 1e-4 and W
 * before the first update is the identity. Pass both views' embeddings to `update`, as their
 * code accumulates both.
 *
 * The eigendecomposition is `symmetricEigen` (linalg/symmetric-eigen.ts, Jacobi in float64):
 * D = 64: 5 ms, 128: 43 ms, 256: 355 ms, 512: ~4 s; above D = 128 raise `frequency` to
 * amortise it.
 */
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, ConfigError, ShapeError } from '../errors.js';
import { symmetricEigen } from '../linalg/symmetric-eigen.js';
import { adoptParam, disposeParams, type ParamMap } from '../nn/params.js';

/**
 * DirectPred's predictor matrix from a correlation matrix `[d, d]` (row-major, float64):
 * `U diag(p) U^T` with `p_j = max(sqrt(max(s_j, 0) / max s) + eps, 1e-4)`. When F has no
 * positive eigenvalue (e.g. all-zero embeddings), every `p_j = max(eps, 1e-4)`.
 */
export function directPredWeight(correlation: ArrayLike<number>, d: number, eps: number): Float64Array {
  const { values, vectors } = symmetricEigen(correlation, d);
  const maxS = values[d - 1];
  const p = Array.from(values, (s) => Math.max((maxS > 0 ? Math.sqrt(Math.max(s, 0) / maxS) : 0) + eps, 1e-4));
  const w = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += vectors[i * d + k] * p[k] * vectors[j * d + k];
      w[i * d + j] = acc;
      w[j * d + i] = acc;
    }
  }
  return w;
}

/** Options of {@link DirectPredPredictor}. */
export interface DirectPredOptions {
  /** EMA factor of the correlation estimate (eq. 19); default 0.3. In [0, 1). */
  rho?: number;
  /** Added to the normalised sqrt-eigenvalues (eq. 18); default 0.01. */
  eps?: number;
  /** Recompute W every `frequency` updates (the first update included); default 1. */
  frequency?: number;
  /** Prefix of the state variables' names; default `directpred`. */
  name?: string;
}

/**
 * A linear predictor set in closed form (DirectPred). Call `update(f)` after each optimizer
 * step with the online embeddings (both views, `[batch, dim]`), `predict(f)` inside the loss.
 * Its state (correlation, weight, update count) lives in non-trainable variables of a
 * {@link ParamMap} returned by `getState()`, so a method lists them in `stateVariables()` and
 * checkpoints hold them.
 */
export class DirectPredPredictor {
  readonly dim: number;
  readonly rho: number;
  readonly eps: number;
  readonly frequency: number;
  readonly name: string;
  /** `<name>/correlation`, `<name>/weight`, `<name>/updates`, all non-trainable. */
  private readonly state: ParamMap = new Map();
  private readonly correlation: tf.Variable; // [dim, dim]
  private readonly weightVar: tf.Variable; // [dim, dim]
  private readonly updates: tf.Variable; // scalar count (float32: exact up to 2^24 updates)

  constructor(dim: number, opts: DirectPredOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new ConfigError(`expected a positive integer, got ${dim}`, { field: 'directpred.dim' });
    this.dim = dim;
    this.rho = opts.rho ?? 0.3;
    this.eps = opts.eps ?? 0.01;
    this.frequency = opts.frequency ?? 1;
    this.name = opts.name ?? 'directpred';
    if (!(this.rho >= 0 && this.rho < 1))
      throw new ConfigError(`expected a number in [0, 1), got ${this.rho}`, { field: 'directpred.rho' });
    if (!Number.isFinite(this.eps))
      throw new ConfigError(`expected a finite number, got ${this.eps}`, { field: 'directpred.eps' });
    if (!Number.isInteger(this.frequency) || this.frequency < 1) {
      throw new ConfigError(`expected a positive integer, got ${this.frequency}`, { field: 'directpred.frequency' });
    }
    const state = { trainable: false };
    this.correlation = adoptParam(this.state, `${this.name}/correlation`, () => tf.zeros([dim, dim]), state);
    this.weightVar = adoptParam(this.state, `${this.name}/weight`, () => tf.eye(dim), state);
    this.updates = adoptParam(this.state, `${this.name}/updates`, () => tf.scalar(0), state);
  }

  /** Number of `update` calls so far (restored by `setState`). */
  updateCount(): number {
    return this.updates.dataSync()[0];
  }

  /**
   * Folds a batch of online embeddings `[batch, dim]` into F (eq. 19) and, every `frequency`
   * updates, recomputes W from F's eigendecomposition (eq. 18). Outside any gradient tape.
   */
  update(embeddings: tf.Tensor2D): void {
    if (embeddings.rank !== 2 || embeddings.shape[1] !== this.dim || embeddings.shape[0] === 0) {
      throw new ShapeError(
        `DirectPredPredictor.update: embeddings must be [batch, ${this.dim}], got [${embeddings.shape}]`,
      );
    }
    const count = this.updateCount();
    tf.tidy(() => {
      const f = embeddings;
      const batchCorr = tf.div(tf.matMul(f, f, true, false), f.shape[0]); // [dim, dim]
      const next =
        count === 0 ? batchCorr : tf.add(tf.mul(this.correlation, this.rho), tf.mul(batchCorr, 1 - this.rho));
      this.correlation.assign(next);
      this.updates.assign(tf.scalar(count + 1));
    });
    if (count % this.frequency === 0) this.recompute();
  }

  /** Sets W from the current F now, regardless of the frequency. */
  recompute(): void {
    const w = directPredWeight(this.correlation.dataSync(), this.dim, this.eps);
    tf.tidy(() => this.weightVar.assign(tf.tensor2d(Float32Array.from(w), [this.dim, this.dim])));
  }

  /**
   * The predictor matrix W `[dim, dim]` (symmetric). The live variable, owned by this
   * object: do not dispose it. Identity before the first update.
   */
  weight(): tf.Tensor2D {
    return this.weightVar as tf.Tensor as tf.Tensor2D;
  }

  /** The running correlation estimate F `[dim, dim]` (live variable, do not dispose). */
  correlationMatrix(): tf.Tensor2D {
    return this.correlation as tf.Tensor as tf.Tensor2D;
  }

  /** The prediction `f W`, `[batch, dim] -> [batch, dim]`; gradients reach f, never W. */
  predict(embeddings: tf.Tensor2D): tf.Tensor2D {
    if (embeddings.rank !== 2 || embeddings.shape[1] !== this.dim) {
      throw new ShapeError(
        `DirectPredPredictor.predict: embeddings must be [batch, ${this.dim}], got [${embeddings.shape}]`,
      );
    }
    return tf.matMul(embeddings, this.weight());
  }

  /** The state variables by name (`<name>/correlation`, `<name>/weight`, `<name>/updates`). */
  getState(): Map<string, tf.Variable> {
    return new Map(this.state);
  }

  /**
   * Restores the state from tensors named as in `getState()` (values are copied).
   * @throws CheckpointError naming a missing or mis-shaped entry.
   */
  setState(state: Map<string, tf.Tensor>): void {
    const own = this.getState();
    for (const [key, variable] of own) {
      const value = state.get(key);
      if (value === undefined) throw new CheckpointError(`DirectPred state '${key}' is missing`);
      if (value.shape.length !== variable.shape.length || value.shape.some((d, i) => d !== variable.shape[i])) {
        throw new CheckpointError(`DirectPred state '${key}' has shape [${value.shape}], expected [${variable.shape}]`);
      }
    }
    for (const [key, variable] of own) variable.assign(state.get(key)!);
  }

  /** Releases the state variables. */
  dispose(): void {
    disposeParams(this.state);
  }
}
