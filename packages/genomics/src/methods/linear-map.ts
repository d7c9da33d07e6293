/**
 * A named affine map `x W + b` applied to the last axis, for the per-offset predictors of
 * CPC and Self-GenomeNet (the W_k of CPC eq. 3) and small output heads.
 */
import type { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

export class LinearMap {
  readonly kernel: tf.Variable; // [inDim, outDim]
  readonly bias: tf.Variable; // [outDim]

  constructor(
    /** Variable name prefix, e.g. `predictor/gap2/`. */
    readonly prefix: string,
    readonly inDim: number,
    readonly outDim: number,
    rng: Rng,
  ) {
    const limit = Math.sqrt(6 / (inDim + outDim)); // Glorot uniform
    this.kernel = tf.tidy(() =>
      tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', rng.seed()), true),
    );
    this.bias = tf.variable(tf.zeros([outDim]), true);
  }

  /** `x [..., inDim]` -> `[..., outDim]`. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const shape = x.shape;
      const flat = tf.reshape(x, [-1, this.inDim]) as tf.Tensor2D;
      const y = tf.add(tf.matMul(flat, this.kernel as tf.Tensor2D), this.bias);
      return tf.reshape(y, [...shape.slice(0, -1), this.outDim]) as T;
    });
  }

  variables(): Map<string, tf.Variable> {
    return new Map([
      [`${this.prefix}kernel`, this.kernel],
      [`${this.prefix}bias`, this.bias],
    ]);
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
