/**
 * `patch-grid`: an image encoder made of a patch encoder. An image is cut into a centred grid of
 * non-overlapping `patch` x `patch` tiles (row-major), every tile is embedded by the same patch
 * encoder in one batch, and the tile embeddings are concatenated: `[batch, rows * cols * d]`.
 *
 * The context-prediction and jigsaw methods train their encoder on small patches only. Applied
 * to a whole image, such an encoder sees inputs its batch norm and filters never saw (on 28 px
 * images a 7 px patch leaves a 1x1 map after two max-pools, a whole image a 7x7 one); measured at
 * 400 steps x 64 on MNIST with 5,000 / 5,000 probe images, context prediction's encoder applied
 * to whole images scored linear 0.850 / kNN 0.725 (random init 0.849 / 0.764) and 0.846 / 0.751
 * with its batch-norm statistics re-estimated on whole images, but 0.927 / 0.881 when it embeds
 * the 4x4 grid of 7 px tiles (a random-init encoder embedded the same way: 0.897 / 0.847). The
 * grid is how those methods see an image, so it is how they embed one; a random-init baseline
 * must be embedded the same way (`createEncoder` rebuilds this kind from its config).
 */
import {
  ConfigError,
  DelegatedVariables,
  type Encoder,
  type EncoderConfig,
  type NetEncoder,
  type OptionTable,
  ShapeError,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Config of a `patch-grid` encoder. */
export interface PatchGridConfig extends EncoderConfig {
  kind: 'patch-grid';
  /** Tile side in pixels. */
  patch: number;
  /** The patch encoder's config (its `inputShape` is `[patch, patch, channels]`). */
  inner: EncoderConfig;
}

/** Tiles along each axis of an `h` x `w` image. */
export function gridSize(h: number, w: number, patch: number): [number, number] {
  return [Math.floor(h / patch), Math.floor(w / patch)];
}

/** Checks images `[h, w, c]` hold at least one tile of side `patch`. */
function checkPatch(inputShape: number[], patch: number): void {
  if (inputShape.length !== 3)
    throw new ConfigError(`patch-grid needs images [height, width, channels], got [${inputShape.join(', ')}]`, {
      field: 'inputShape',
    });
  const side = Math.min(inputShape[0]!, inputShape[1]!);
  if (!Number.isInteger(patch) || patch < 1 || patch > side)
    throw new ConfigError(`expected an integer tile side in 1..${side}, got ${patch}`, { field: 'patch' });
}

/** The `patch-grid` config for images of `inputShape` `[h, w, c]` over a patch encoder's config. */
export function patchGridConfig(inputShape: number[], patch: number, inner: EncoderConfig): PatchGridConfig {
  checkPatch(inputShape, patch);
  const [rows, cols] = gridSize(inputShape[0]!, inputShape[1]!, patch);
  return {
    kind: 'patch-grid',
    modality: 'vision',
    inputShape: [...inputShape],
    outputDim: rows * cols * inner.outputDim,
    patch,
    inner,
  };
}

/**
 * Cuts `[n, h, w, c]` images into their centred grid of `patch` px tiles:
 * `[n * rows * cols, patch, patch, c]`, image-major, tiles row-major within an image.
 */
export function gridTiles(images: tf.Tensor4D, patch: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    const [rows, cols] = gridSize(h, w, patch);
    if (rows < 1 || cols < 1)
      throw new ConfigError(`images of ${h}x${w} are smaller than one ${patch} px tile`, { field: 'patch' });
    const top = Math.floor((h - rows * patch) / 2);
    const left = Math.floor((w - cols * patch) / 2);
    const crop = tf.slice(images, [0, top, left, 0], [n, rows * patch, cols * patch, c]);
    return crop
      .reshape([n, rows, patch, cols, patch, c])
      .transpose([0, 1, 3, 2, 4, 5])
      .reshape([n * rows * cols, patch, patch, c]) as tf.Tensor4D;
  });
}

/** A patch encoder that embeds larger images as the concatenation of its tile embeddings. */
export class PatchGridEncoder extends DelegatedVariables<NetEncoder> implements Encoder<tf.Tensor> {
  constructor(
    readonly config: PatchGridConfig,
    /** The patch encoder: the one the pretext task trains, owner of every variable. */
    readonly patchEncoder: NetEncoder,
  ) {
    super(patchEncoder);
    if (patchEncoder.config.outputDim !== config.inner.outputDim)
      throw new ConfigError(
        `patch encoder outputs ${patchEncoder.config.outputDim}-d, the config says ${config.inner.outputDim}`,
        { field: 'inner' },
      );
  }

  apply(batch: tf.Tensor, training: boolean): tf.Tensor2D {
    if (batch.rank !== 4)
      throw new ShapeError(`patch-grid takes images [batch, height, width, channels], got [${batch.shape}]`);
    const run = () => {
      const e = this.patchEncoder.apply(gridTiles(batch as tf.Tensor4D, this.config.patch), training);
      return e.reshape([batch.shape[0]!, -1]) as tf.Tensor2D;
    };
    // In training the caller's tape and tidy own the intermediates (fine-tuning through the grid).
    return training ? run() : tf.tidy(run);
  }
}

/** The `embed` option of the patch tasks' methods (context prediction, jigsaw). */
export const PATCH_EMBED_OPTIONS = {
  /**
   * How the method embeds an image: `patch-grid` (the trained patch encoder over the image's grid
   * of patch-sized tiles, embeddings concatenated; encoders/patch-grid.ts) or `image` (the patch
   * encoder applied to the whole image, which its batch norm never saw in training).
   */
  embed: {
    type: 'enum',
    choices: ['patch-grid', 'image'],
    default: 'patch-grid' as string,
    description:
      'How the method embeds an image: `patch-grid` (the trunk on each patch) or `image` (on the whole image).',
  },
} satisfies OptionTable;

/**
 * The trunk a patch task trains and the encoder its method embeds with: for `patch-grid`, a trunk
 * built for `patch` px inputs inside a {@link PatchGridEncoder}; for `image`, one encoder built
 * for whole images (the patch-trained trunk applied to the whole image, as before the grid).
 */
export function patchTaskEncoders(
  method: string,
  embed: string,
  sampleShape: number[],
  patch: number,
  buildTrunk: (inputShape: number[]) => NetEncoder,
): { trunk: NetEncoder; encoder: Encoder<tf.Tensor> } {
  if (embed !== 'patch-grid' && embed !== 'image')
    throw new ConfigError(`${method}: expected 'patch-grid' or 'image', got '${embed}'`, { field: 'embed' });
  if (embed === 'image') {
    const trunk = buildTrunk(sampleShape);
    return { trunk, encoder: trunk };
  }
  checkPatch(sampleShape, patch);
  const trunk = buildTrunk([patch, patch, sampleShape[2]!]);
  return { trunk, encoder: new PatchGridEncoder(patchGridConfig(sampleShape, patch, trunk.config), trunk) };
}
