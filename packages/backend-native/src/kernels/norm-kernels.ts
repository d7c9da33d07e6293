/**
 * The kernel side of the two training normalisations over the last axis, batch norm (statistics
 * per channel) and layer norm (statistics per row). The addon takes the same arguments for both
 * (native/addon.cc's NormArgs and NormGradArgs), so one forward and one gradient kernel serve
 * both, each given the addon function and where its statistics live.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { alloc, floatValues, type NativeKernelArgs, output } from './kernel-helpers.js';

/**
 * A forward normalisation of the addon: x viewed as [rows, cols] into y, and `mean` and `spread`
 * (the variance, or 1 / sqrt(variance + eps)) of each statistic.
 */
export type NormFn = (
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  y: Float32Array,
  mean: Float32Array,
  spread: Float32Array,
  cols: number,
  eps: number,
) => void;

/**
 * Its gradient: dx [rows, cols], dgamma and dbeta [cols], from mean and spread as the forward left
 * them; `eps` is the kernel's epsilon attr, where it has one.
 */
export type NormGradFn = (
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  spread: Float32Array,
  gamma: Float32Array,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  cols: number,
  eps: number | undefined,
) => void;

/** Where a normalisation's statistics live: one per channel (batch norm) or one per row (layer norm). */
export type NormStatistics = 'channel' | 'row';

/**
 * The forward kernel `kernel`: inputs x [..., C], gamma and beta [C]; attr epsilon; outputs y,
 * mean and spread, of length C (`per` channel) or rows (`per` row). Throws, naming the kernel,
 * unless every input is float32 and gamma and beta hold C values.
 */
export function normKernel(kernel: string, per: NormStatistics, norm: NormFn): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const { x, gamma, beta } = args.inputs as Record<string, TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const xv = floatValues(args.backend, x);
    const gv = floatValues(args.backend, gamma);
    const bv = floatValues(args.backend, beta);
    const c = x!.shape[x!.shape.length - 1] as number;
    if (!xv || !gv || !bv || gv.length !== c || bv.length !== c) {
      throw new Error(`${kernel}: expected float32 x [..., C] with gamma and beta [C]`);
    }
    const n = per === 'channel' ? c : c > 0 ? xv.length / c : 0;
    const y = alloc(args.backend, xv.length);
    const mean = new Float32Array(n);
    const spread = new Float32Array(n);
    if (xv.length > 0) norm(xv, gv, bv, y, mean, spread, c, epsilon);
    return [output(args.backend, [...x!.shape], y), output(args.backend, [n], mean), output(args.backend, [n], spread)];
  };
}

/**
 * The gradient kernel `kernel`: inputs dy, x, mean, the spread (under the key `spread`), gamma;
 * attr epsilon where the normalisation has one; outputs dx, dgamma, dbeta. Throws, naming the
 * kernel, unless every input is float32.
 */
export function normGradKernel(kernel: string, spread: string, grad: NormGradFn): KernelFunc {
  return (raw) => {
    const args = raw as unknown as NativeKernelArgs;
    const inputs = args.inputs as Record<string, TensorInfo>;
    const epsilon = (args.attrs as { epsilon?: number } | undefined)?.epsilon;
    const vals = [inputs.dy, inputs.x, inputs.mean, inputs[spread], inputs.gamma].map((t) =>
      floatValues(args.backend, t),
    );
    if (vals.some((v) => !v)) throw new Error(`${kernel}: expected float32 inputs`);
    const [dyv, xv, mv, sv, gv] = vals as Float32Array[];
    const c = gv!.length;
    const dx = alloc(args.backend, xv!.length);
    const dgamma = new Float32Array(c);
    const dbeta = new Float32Array(c);
    if (dx.length > 0) grad(dyv!, xv!, mv!, sv!, gv!, dx, dgamma, dbeta, c, epsilon);
    return [
      output(args.backend, [...inputs.x!.shape], dx),
      output(args.backend, [c], dgamma),
      output(args.backend, [c], dbeta),
    ];
  };
}
