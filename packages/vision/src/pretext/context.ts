/**
 * Context prediction (Doersch, Gupta & Efros 2015, "Unsupervised Visual Representation
 * Learning by Context Prediction", ICCV): a 3x3 grid of patches is laid on the image; given
 * the centre patch and one of its 8 neighbours, a classifier on the two patch embeddings
 * predicts where the neighbour sits. As in the paper (sec. 3.1), the patches are separated by
 * a gap and each is jittered independently, so low-level cues that continue across a border
 * (lines, texture, boundary pixels) do not give the answer away. This file holds the geometry.
 */
import { ConfigError, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { cropPatches, type PatchBox } from './crop-patches.js';

/** Layout of the 3x3 patch grid. */
export interface ContextOptions {
  /** Side of each square patch in pixels. Default 7 (for 28 px images). */
  patch?: number;
  /** Pixels between neighbouring patches before jitter. Default 2. */
  gap?: number;
  /** Each patch moves independently by up to this many pixels along each axis. Default 1. */
  jitter?: number;
}

/** The 8 neighbour positions `[row, col]` in the grid, in label order (row-major, centre skipped). */
export const CONTEXT_NEIGHBOURS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 0],
  [1, 2],
  [2, 0],
  [2, 1],
  [2, 2],
];

/** Defaults filled in and checked against the image size. */
export function resolveContextOptions(h: number, w: number, o: ContextOptions = {}): Required<ContextOptions> {
  const r = { patch: o.patch ?? 7, gap: o.gap ?? 2, jitter: o.jitter ?? 1 };
  for (const [field, v, min] of [
    ['patch', r.patch, 1],
    ['gap', r.gap, 0],
    ['jitter', r.jitter, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min)
      throw new ConfigError(`expected an integer >= ${min}, got ${v}`, { field: `context.${field}` });
  }
  const need = 3 * r.patch + 2 * r.gap + 2 * r.jitter;
  if (need > Math.min(h, w)) {
    throw new ConfigError(
      `a 3x3 grid of ${r.patch} px patches with gap ${r.gap} and jitter ${r.jitter} needs ${need} px, images are ${h}x${w}`,
      { field: 'context.patch' },
    );
  }
  return r;
}

/** Where the centre patch and one neighbour sit in one image, and which neighbour it is. */
export interface ContextPair {
  centre: { top: number; left: number };
  neighbour: { top: number; left: number };
  /** Index into {@link CONTEXT_NEIGHBOURS}, 0..7. */
  label: number;
}

/**
 * Samples the grid position, the two patches' jitter and the neighbour for one `h` x `w` image.
 * The grid's origin is uniform over the positions that keep every jittered patch inside.
 */
export function sampleContextPair(h: number, w: number, rng: Rng, options: ContextOptions = {}): ContextPair {
  const { patch, gap, jitter } = resolveContextOptions(h, w, options);
  const span = 3 * patch + 2 * gap;
  const oy = jitter + rng.int(h - span - 2 * jitter + 1);
  const ox = jitter + rng.int(w - span - 2 * jitter + 1);
  const at = (row: number, col: number) => ({
    top: oy + row * (patch + gap) + rng.int(2 * jitter + 1) - jitter,
    left: ox + col * (patch + gap) + rng.int(2 * jitter + 1) - jitter,
  });
  const label = rng.int(8);
  const [row, col] = CONTEXT_NEIGHBOURS[label]!;
  const centre = at(1, 1);
  return { centre, neighbour: at(row, col), label };
}

/** A context-prediction batch. */
export interface ContextBatch {
  /** Centre patches `[n, patch, patch, c]`. */
  centres: tf.Tensor4D;
  /** Neighbour patches `[n, patch, patch, c]`. */
  neighbours: tf.Tensor4D;
  /** Neighbour position of each row, 0..7. */
  labels: number[];
}

/** One centre-neighbour pair per image of `images` `[n, h, w, c]`. */
export function contextBatch(images: tf.Tensor4D, rng: Rng, options: ContextOptions = {}): ContextBatch {
  const [n, h, w] = images.shape;
  const { patch } = resolveContextOptions(h, w, options);
  const pairs = Array.from({ length: n }, () => sampleContextPair(h, w, rng, options));
  const boxes = (which: 'centre' | 'neighbour'): PatchBox[] => pairs.map((p, image) => ({ image, ...p[which] }));
  return {
    centres: cropPatches(images, boxes('centre'), patch),
    neighbours: cropPatches(images, boxes('neighbour'), patch),
    labels: pairs.map((p) => p.label),
  };
}
