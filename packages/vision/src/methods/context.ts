/**
 * Context prediction (Doersch, Gupta & Efros 2015, "Unsupervised Visual Representation
 * Learning by Context Prediction", ICCV): the encoder embeds the centre patch of a 3x3 grid and
 * one of its 8 neighbours (patches separated by a gap, each jittered); a classifier on the
 * concatenated pair of embeddings predicts the neighbour's position (8 classes). The encoder
 * sees patches only, so the method embeds an image as its grid of patch-sized tiles
 * (`embed: 'patch-grid'`, encoders/patch-grid.ts; `image` applies it to the whole image).
 * Patch geometry: `pretext/context.ts`.
 *
 * The paper draws one pair per image. Here `pairs` independent pairs (each with its own grid
 * position, jitter and neighbour) are drawn per image: with one pair of 7 px patches an image
 * costs the encoder 1/16 of what two 28 px views cost, so at a fixed step budget context
 * prediction saw far less signal per step than the other methods (11 ms/step at batch 32).
 */
import { ConfigError, type NetEncoder, type OptionsOf, type OptionTable, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type ContextOptions, contextBatch } from '../pretext/context.js';
import { classifierHead, classify, HeadTask, PretextMethod, type TaskOutput } from './pretext-task.js';
import { PATCH_EMBED_OPTIONS, patchTaskEncoders } from '../encoders/patch-grid.js';
import { buildEncoder, IMAGE_ENCODER_OPTIONS, visionMethod } from './view-options.js';

/** The context-prediction task (8 classes). */
export class ContextTask extends HeadTask {
  readonly name = 'context';

  constructor(
    encoderDim: number,
    hiddenDim: number,
    private readonly geometry: ContextOptions,
    rng: Rng,
    /** Independent centre-neighbour pairs drawn per image (the paper's 1). */
    private readonly pairs = 1,
  ) {
    if (!Number.isInteger(pairs) || pairs < 1)
      throw new ConfigError(`expected an integer >= 1, got ${pairs}`, { field: 'context.pairs' });
    super(classifierHead('context/', 2 * encoderDim, hiddenDim, 8, rng));
  }

  run(encoder: NetEncoder, images: tf.Tensor4D, rng: Rng): TaskOutput {
    // `pairs` draws over the whole batch: rows [k*N, (k+1)*N) hold draw k.
    const draws = Array.from({ length: this.pairs }, () => contextBatch(images, rng, this.geometry));
    const stack = (ts: tf.Tensor4D[]) => (ts.length === 1 ? ts[0]! : tf.concat(ts, 0));
    const centres = stack(draws.map((d) => d.centres));
    const neighbours = stack(draws.map((d) => d.neighbours));
    const labels = draws.flatMap((d) => d.labels);
    const n = labels.length; // pairs * N
    // One encoder pass over both patches of every pair.
    const e = encoder.apply(tf.concat([centres, neighbours], 0), true); // [2n, d]
    const [ec, en] = tf.split(e, [n, n], 0);
    const pair = tf.concat([ec!, en!], 1) as tf.Tensor2D; // [n, 2d]
    return classify(this.head.apply(pair, true), labels);
  }
}

/** Context prediction's options: type, bounds, meaning and default of each (docs/methods/context.md). */
export const CONTEXT_OPTIONS = {
  ...IMAGE_ENCODER_OPTIONS,
  hiddenDim: { type: 'integer', default: 256, min: 1, description: 'Head hidden width.' },
  patch: { type: 'integer', default: 7, min: 1, description: 'Patch side in pixels (7 for 28 px images).' },
  gap: { type: 'integer', default: 2, min: 0, description: 'Pixels between neighbouring patches.' },
  jitter: { type: 'integer', default: 1, min: 0, description: 'Per-patch jitter in pixels along each axis.' },
  /**
   * Centre-neighbour pairs drawn per image per step (the paper draws 1). 8 gives the encoder
   * 16 patches of 7x7 per image, about half the pixels two 28 px views give it.
   */
  pairs: {
    type: 'integer',
    default: 8,
    min: 1,
    description: 'Centre-neighbour pairs drawn per image per step (the paper draws 1).',
  },
  ...PATCH_EMBED_OPTIONS,
} satisfies OptionTable;
/** Options of {@link createContext}. */
export type ContextMethodOptions = OptionsOf<typeof CONTEXT_OPTIONS>;

/** `--method context`. */
export const CONTEXT_METHOD = visionMethod({
  name: 'context',
  summary: 'context prediction: position of a patch among its 8 neighbours (Doersch et al. 2015)',
  options: CONTEXT_OPTIONS,
  create: ({ sampleShape, options, rng }) => createContext(sampleShape, options, rng),
});

/** Context prediction: one encoder, one relative-position head. */
export function createContext(sampleShape: number[], options: Partial<ContextMethodOptions>, rng: Rng): PretextMethod {
  const o = CONTEXT_METHOD.resolve(options);
  const { trunk, encoder } = patchTaskEncoders('context', o.embed, sampleShape, o.patch, (shape) =>
    buildEncoder(o, shape, rng),
  );
  const task = new ContextTask(trunk.config.outputDim, o.hiddenDim, o, rng, o.pairs);
  return new PretextMethod('context', trunk, [{ task, weight: 1 }], o, encoder);
}
