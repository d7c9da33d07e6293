/**
 * A linear layer on the unit sphere: `l2normalize(x) W` with unit-norm columns of `W`, so each
 * output is a cosine in [-1, 1]. Two methods use it:
 *
 * - DINO's last layer (Caron et al. 2021, sec. 3.1 and main_dino.py, DINOHead with
 *   norm_last_layer=True): a weight-normalised linear layer `W = g v / ||v||` with the gain g
 *   fixed to 1 (`mode: 'weight-norm'`: the columns are normalised in the forward pass, the
 *   gradient flows through the normalisation).
 * - SwAV's prototypes (Caron et al. 2020, sec. 3.1 and main_swav.py): K trainable vectors kept
 *   on the unit sphere by re-normalising them in place after every step (`mode: 'projected'`,
 *   call {@link CosineLayer.renormalize}).
 */
import { adoptParam, disposeParams, l2NormalizeRows, type ParamMap, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** How the columns stay unit-norm. */
export type CosineLayerMode = 'weight-norm' | 'projected';

/** `l2normalize(x) W`, `W [inDim, outDim]` with unit columns; its variable is named `name`. */
export class CosineLayer {
  /** Its one variable, under `name`. */
  private readonly params: ParamMap = new Map();
  /** The weights `[inDim, outDim]` (unit-norm columns in `projected` mode). */
  readonly weight: tf.Variable;

  constructor(
    /** Variable name in checkpoints (e.g. `head/last`, `prototypes`). */
    readonly name: string,
    inDim: number,
    outDim: number,
    readonly mode: CosineLayerMode,
    rng: Rng,
  ) {
    // Unit columns of a tfjs-seeded normal draw (an initialiser createParam has not).
    this.weight = adoptParam(this.params, name, () =>
      normalizeColumns(tf.randomNormal([inDim, outDim], 0, 1, 'float32', rng.seed())),
    );
  }

  /** Cosines of the rows of `x [N, inDim]` with the columns: `[N, outDim]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const w = this.mode === 'weight-norm' ? normalizeColumns(this.weight as tf.Tensor2D) : this.weight;
      return tf.matMul(l2NormalizeRows(x), w as tf.Tensor2D);
    });
  }

  /** Projects the columns back to unit norm (SwAV's step after each update). */
  renormalize(): void {
    tf.tidy(() => this.weight.assign(normalizeColumns(this.weight as tf.Tensor2D)));
  }

  /** Its variable by its checkpoint name. */
  variables(): Map<string, tf.Variable> {
    return new Map(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}

/** Columns of `w` divided by their L2 norms. */
function normalizeColumns(w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(w, tf.sqrt(tf.maximum(tf.sum(tf.square(w), 0, true), 1e-24))) as tf.Tensor2D);
}
