/**
 * A GRU layer of a {@link Net} (Cho et al. 2014) that computes what tf.layers' GRU (tfjs-layers
 * 4.22, `resetAfter` false, no dropout) computes, op for op, so outputs, gradients and
 * checkpoints are bit-identical to it:
 *
 *   [x_z, x_r, x_h] = x_t W + b,  [u_z, u_r] = h_{t-1} U_zr
 *   z = hardSigmoid(x_z + u_z),  r = hardSigmoid(x_r + u_r)
 *   ĥ = tanh(x_h + (r ⊙ h_{t-1}) U_h),  h_t = z ⊙ h_{t-1} + (1 − z) ⊙ ĥ
 *
 * with hardSigmoid(v) = clip(0.5 + 0.2 v, 0, 1), `W` = `kernel` `[in, 3·units]`, `U` =
 * `recurrent_kernel` `[units, 3·units]` (split `[2·units, units]` every step), `b` = `bias`
 * `[3·units]`, h_0 = 0. The loop is tf.layers' `rnn()`: inputs made time-major and unstacked,
 * one tidy per step, the step outputs stacked on axis 1.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { NetBuildContext, NetInitializer, NetLayer, NetShape } from './net.js';

/** Options of {@link gru}. */
export interface GruOptions {
  units: number;
  /** Input kernel `[in, 3·units]` (tf.layers' default is Glorot normal). */
  kernelInitializer: NetInitializer;
  /** Recurrent kernel `[units, 3·units]` (tf.layers' default is orthogonal). */
  recurrentInitializer: NetInitializer;
  /** Every step's state `[batch, steps, units]`, or only the last `[batch, units]`. Default false. */
  returnSequences?: boolean;
  /** Default true; the bias starts at zero. */
  useBias?: boolean;
}

/** `K.dot` of tfjs-layers for two matrices: an unfused-activation `fused.matMul`. */
function dot(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: false, transposeB: false });
}

/** tfjs-layers' hard sigmoid: clip(0.5 + 0.2 x, 0, 1). */
function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.add(0.5, tf.mul(0.2, x)), 0, 1);
}

/** GRU over `[batch, steps, in]` (tf.layers' GRU with its default activations). */
export function gru(o: GruOptions): NetLayer {
  const units = o.units;
  const returnSequences = o.returnSequences ?? false;
  const useBias = o.useBias ?? true;
  if (!Number.isInteger(units) || units < 1) {
    throw new ConfigError(`gru units must be a positive integer, got ${units}`, { field: 'units' });
  }
  let kernel: tf.Variable;
  let recurrentKernel: tf.Variable;
  let bias: tf.Variable | undefined;

  /** One step of tf.layers' GRUCell.call: the new state of input `x` `[batch, in]` and state `h`. */
  const step = (x: tf.Tensor, h: tf.Tensor): tf.Tensor => {
    let matrixX: tf.Tensor = dot(x, kernel);
    if (bias) matrixX = tf.add(matrixX, bias);
    const [rk1, rk2] = tf.split(recurrentKernel, [2 * units, units], 1);
    const matrixInner = dot(h, rk1!);
    const [xZ, xR, xH] = tf.split(matrixX, 3, 1);
    const [recurrentZ, recurrentR] = tf.split(matrixInner, 2, 1);
    const z = hardSigmoid(tf.add(xZ!, recurrentZ!));
    const r = hardSigmoid(tf.add(xR!, recurrentR!));
    const recurrentH = dot(tf.mul(r, h), rk2!);
    const hh = tf.tanh(tf.add(xH!, recurrentH));
    return tf.add(tf.mul(z, h), tf.mul(tf.add(1, tf.neg(z)), hh));
  };

  return {
    className: 'GRU',
    build(ctx: NetBuildContext, [shape]: NetShape[]): NetShape {
      const inDim = shape?.[1];
      if (shape?.length !== 2 || typeof inDim !== 'number') {
        throw new ConfigError(`gru takes [batch, steps, features] with known features, got [batch, ${shape}]`);
      }
      kernel = ctx.weight('kernel', [inDim, 3 * units], o.kernelInitializer);
      recurrentKernel = ctx.weight('recurrent_kernel', [units, 3 * units], o.recurrentInitializer);
      if (useBias) bias = ctx.weight('bias', [3 * units], tf.initializers.zeros());
      return returnSequences ? [shape[0]!, units] : [units];
    },
    call([x]: tf.Tensor[]): tf.Tensor {
      return tf.tidy(() => {
        // RNN.getInitialState: zeros [batch, units], made as tf.layers makes them.
        let state: tf.Tensor = tf.zeros(x!.shape);
        state = tf.sum(state, [1, 2]);
        state = tf.reshape(state, [...state.shape, 1]);
        if (units > 1) state = tf.tile(state, [1, units]);
        // rnn(): time-major, one tidy per step, outputs stacked on axis 1.
        const perStepInputs = tf.unstack(tf.transpose(x!, [1, 0, 2]));
        const outputs: tf.Tensor[] = [];
        for (const input of perStepInputs) {
          const h = state;
          state = tf.tidy(() => step(input, h));
          if (returnSequences) outputs.push(state);
        }
        return returnSequences ? tf.stack(outputs, 1) : state;
      });
    },
    toLayers(name: string) {
      return {
        layer: tf.layers.gru({ name, units, returnSequences, useBias }),
        weights: bias ? [kernel, recurrentKernel, bias] : [kernel, recurrentKernel],
      };
    },
  };
}
