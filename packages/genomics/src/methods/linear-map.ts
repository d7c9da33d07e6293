/**
 * A named affine map `x W + b` applied to the last axis, for the per-offset predictors of
 * CPC and Self-GenomeNet (the W_k of CPC eq. 3) and small output heads.
 */
import { adoptParam, disposeParams, type ParamMap, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** `x W + b` with its variables in a {@link ParamMap} as `<prefix>kernel` and `<prefix>bias`. */
export class LinearMap {
  /** `<prefix>kernel` and `<prefix>bias`, in that order. */
  private readonly params: ParamMap = new Map();
  readonly kernel: tf.Variable; // [inDim, outDim]
  readonly bias: tf.Variable; // [outDim]

  constructor(
    /** Variable name prefix, e.g. `predictor/gap2/`. */
    readonly prefix: string,
    readonly inDim: number,
    readonly outDim: number,
    rng: Rng,
  ) {
    const limit = Math.sqrt(6 / (inDim + outDim)); // Glorot uniform, drawn by tfjs's seeded uniform
    this.kernel = adoptParam(this.params, `${prefix}kernel`, () =>
      tf.randomUniform([inDim, outDim], -limit, limit, 'float32', rng.seed()),
    );
    this.bias = adoptParam(this.params, `${prefix}bias`, () => tf.zeros([outDim]));
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

  /** Its variables by checkpoint name (`<prefix>kernel`, `<prefix>bias`). */
  variables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
