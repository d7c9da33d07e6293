/**
 * Jigsaw puzzles (Noroozi & Favaro 2016, "Unsupervised Learning of Visual Representations by
 * Solving Jigsaw Puzzles", ECCV): the image's grid of tiles is shuffled by one of a fixed set
 * of maximally distant permutations; the shared encoder embeds every tile, and a classifier
 * over the embeddings concatenated in shuffled order names the permutation (the paper's
 * context-free network). Tiles and permutation set: `pretext/jigsaw.ts`. The encoder sees tiles
 * only, so the method embeds an image as its grid of tile-sized tiles (`embed: 'patch-grid'`,
 * encoders/patch-grid.ts; `image` applies it to the whole image).
 */
import { type NetEncoder, type OptionsOf, type OptionTable, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type JigsawOptions, jigsawBatch, maximalHammingPermutations } from '../pretext/jigsaw.js';
import { classifierHead, classify, HeadTask, PretextMethod, type TaskOutput } from './pretext-task.js';
import { PATCH_EMBED_OPTIONS, patchTaskEncoders } from '../encoders/patch-grid.js';
import { buildEncoder, IMAGE_ENCODER_OPTIONS, visionMethod } from './view-options.js';

/** The jigsaw task (`permutations` classes). */
export class JigsawTask extends HeadTask {
  readonly name = 'jigsaw';
  /** The permutation set: entry s of permutation k is the grid cell shown in slot s. */
  readonly permutations: number[][];

  constructor(
    encoderDim: number,
    hiddenDim: number,
    count: number,
    private readonly geometry: JigsawOptions & { grid: number },
    /** Seed of the permutation set (part of the options, so a rebuilt method has the same set). */
    seed: number,
    rng: Rng,
  ) {
    const tiles = geometry.grid * geometry.grid;
    const permutations = maximalHammingPermutations(count, tiles, new Rng(seed));
    super(classifierHead('jigsaw/', tiles * encoderDim, hiddenDim, count, rng));
    this.permutations = permutations;
  }

  run(encoder: NetEncoder, images: tf.Tensor4D, rng: Rng): TaskOutput {
    const { tiles, labels } = jigsawBatch(images, this.permutations, rng, this.geometry);
    const e = encoder.apply(tiles, true); // [n * tiles, d]
    const joined = tf.reshape(e, [labels.length, -1]) as tf.Tensor2D; // [n, tiles * d], slot order
    return classify(this.head.apply(joined, true), labels);
  }
}

/** Jigsaw's options: type, bounds, meaning and default of each (docs/methods/jigsaw.md). */
export const JIGSAW_OPTIONS = {
  ...IMAGE_ENCODER_OPTIONS,
  hiddenDim: { type: 'integer', default: 256, min: 1, description: 'Head hidden width.' },
  grid: { type: 'integer', default: 3, min: 1, description: 'Tiles per side (2 or 3).' },
  tile: {
    type: 'integer',
    default: 7,
    min: 1,
    description: 'Tile side in pixels (cells of 28 px images are 9 px for a 3x3 grid).',
  },
  permutations: {
    type: 'integer',
    default: 32,
    min: 1,
    description: 'Size of the permutation set (the number of classes).',
  },
  permutationSeed: { type: 'integer', default: 0, min: 0, description: 'Seed of the permutation set.' },
  ...PATCH_EMBED_OPTIONS,
} satisfies OptionTable;
/** Options of {@link createJigsaw}. */
export type JigsawMethodOptions = OptionsOf<typeof JIGSAW_OPTIONS>;

/** `--method jigsaw`. */
export const JIGSAW_METHOD = visionMethod({
  name: 'jigsaw',
  summary: 'jigsaw: name the permutation of shuffled tiles (Noroozi & Favaro 2016)',
  options: JIGSAW_OPTIONS,
  create: ({ sampleShape, options, rng }) => createJigsaw(sampleShape, options, rng),
});

/** Jigsaw: one encoder, one permutation head. */
export function createJigsaw(sampleShape: number[], options: Partial<JigsawMethodOptions>, rng: Rng): PretextMethod {
  const o = JIGSAW_METHOD.resolve(options);
  const { trunk, encoder } = patchTaskEncoders('jigsaw', o.embed, sampleShape, o.tile, (shape) =>
    buildEncoder(o, shape, rng),
  );
  const task = new JigsawTask(trunk.config.outputDim, o.hiddenDim, o.permutations, o, o.permutationSeed, rng);
  return new PretextMethod('jigsaw', trunk, [{ task, weight: 1 }], o, encoder);
}
