/**
 * A GRU (Cho et al. 2014) over a sequence, written with a few cheap tensor ops per step: the
 * input projections of all steps are computed up front, step-major, and each gate has its own
 * kernels, so no step slices a tensor along an inner axis (on the CPU backends a strided
 * slice or split costs more than the whole step's matrix products; the tf.layers GRU spent
 * most of a training step there). Gates in the PyTorch/cuDNN form:
 *
 *   z = σ(x_t W_z + b_z + h_{t-1} U_z),  r = σ(x_t W_r + b_r + h_{t-1} U_r)
 *   ĥ = tanh(x_t W_h + b_h + r ⊙ (h_{t-1} U_h + b_uh)),  h_t = z ⊙ h_{t-1} + (1 - z) ⊙ ĥ
 */
import { adoptParam, disposeParams, type ParamMap, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Orthogonal `[n, n]` matrix from a seeded normal draw (QR via Gram-Schmidt). */
function orthogonal(n: number, rng: Rng): Float32Array {
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    let v = Array.from({ length: n }, () => rng.normal());
    for (const c of cols) {
      const d = v.reduce((s, x, i) => s + x * c[i]!, 0);
      v = v.map((x, i) => x - d * c[i]!);
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    cols.push(v.map((x) => x / norm));
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = cols[j]![i]!;
  return out;
}

type Gate = 'z' | 'r' | 'h';
const GATES: readonly Gate[] = ['z', 'r', 'h'];

/**
 * The GRU's variables live in a {@link ParamMap} under names without prefix (`kernel_z`,
 * `recurrent_kernel_z`, `bias_z`, ..., `recurrent_bias_h`); {@link GruContext.variables} adds
 * the encoder's prefix.
 */
export class GruContext {
  /** Every variable, in the order {@link GruContext.variables} lists them. */
  private readonly params: ParamMap = new Map();
  /** Input kernels W_g `[inDim, units]`, one per gate (z: update, r: reset, h: candidate). */
  readonly kernels: Record<Gate, tf.Variable>;
  /** Recurrent kernels U_g `[units, units]`. */
  readonly recurrentKernels: Record<Gate, tf.Variable>;
  /** Input biases b_g `[units]`. */
  readonly biases: Record<Gate, tf.Variable>;
  /** Recurrent bias of the candidate, b_uh `[units]` (inside the reset product). */
  readonly recurrentBias: tf.Variable;

  constructor(
    readonly inDim: number,
    readonly units: number,
    rng: Rng,
  ) {
    const h = units;
    const limit = Math.sqrt(6 / (inDim + 3 * h));
    const k = {} as Record<Gate, tf.Variable>;
    const u = {} as Record<Gate, tf.Variable>;
    const b = {} as Record<Gate, tf.Variable>;
    const p = this.params;
    // Glorot uniform by tfjs's seeded uniform and an orthogonal matrix: initialisers createParam has not.
    for (const g of GATES) {
      k[g] = adoptParam(p, `kernel_${g}`, () => tf.randomUniform([inDim, h], -limit, limit, 'float32', rng.seed()));
      u[g] = adoptParam(p, `recurrent_kernel_${g}`, () => tf.tensor2d(orthogonal(h, rng), [h, h]));
      b[g] = adoptParam(p, `bias_${g}`, () => tf.zeros([h]));
    }
    this.kernels = k;
    this.recurrentKernels = u;
    this.biases = b;
    this.recurrentBias = adoptParam(p, 'recurrent_bias_h', () => tf.zeros([h]));
  }

  /** Hidden states of every step, `[batch, steps, inDim]` -> `[batch, steps, units]` (h_0 = 0). */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, steps, d] = x.shape;
      const h = this.units;
      // Per gate, the input projection of every step, step-major so each step is a contiguous slice.
      const flat = tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * b, d]);
      const proj = (g: Gate) =>
        tf.unstack(
          tf.reshape(tf.add(tf.matMul(flat, this.kernels[g] as tf.Tensor2D), this.biases[g]), [steps, b, h]),
        ) as tf.Tensor2D[];
      const xz = proj('z');
      const xr = proj('r');
      const xh = proj('h');
      const u = this.recurrentKernels;
      let state = tf.zeros([b, h]) as tf.Tensor2D;
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        const z = tf.sigmoid(tf.add(xz[t]!, tf.matMul(state, u.z as tf.Tensor2D)));
        const r = tf.sigmoid(tf.add(xr[t]!, tf.matMul(state, u.r as tf.Tensor2D)));
        const hh = tf.add(tf.matMul(state, u.h as tf.Tensor2D), this.recurrentBias);
        const cand = tf.tanh(tf.add(xh[t]!, tf.mul(r, hh)));
        state = tf.add(cand, tf.mul(z, tf.sub(state, cand))) as tf.Tensor2D;
        outs.push(state);
      }
      return tf.transpose(tf.stack(outs), [1, 0, 2]) as tf.Tensor3D;
    });
  }

  /** Variables by name under `prefix` (`encoder/gru/kernel_z`, ...). */
  variables(prefix: string): Map<string, tf.Variable> {
    return new Map([...this.params].map(([name, v]) => [`${prefix}${name}`, v]));
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
