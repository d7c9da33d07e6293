/**
 * Jigsaw puzzles (Noroozi & Favaro 2016, "Unsupervised Learning of Visual Representations by
 * Solving Jigsaw Puzzles", ECCV): an image is cut into a grid of tiles, the tiles are shuffled
 * by one permutation of a fixed set, and a classifier over the tiles' embeddings (concatenated
 * in shuffled order) names the permutation. The set is chosen greedily for maximal minimum
 * Hamming distance (sec. 3.2), so permutations are easy to tell apart from one another only by
 * understanding the tiles. Each tile is cut at a random offset inside its cell (the paper's
 * gaps), so edges do not line up between neighbours. This file holds the data side.
 */
import { ConfigError, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { cropPatches, type PatchBox } from './crop-patches.js';

/** Number of positions at which two permutations differ. */
export function hammingDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}

/** All permutations of 0..n-1 in lexicographic order, flat `[n!, n]` (n <= 10). */
function allPermutations(n: number): Uint8Array {
  let total = 1;
  for (let i = 2; i <= n; i++) total *= i;
  const out = new Uint8Array(total * n);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < total; r++) {
    out.set(p, r * n);
    // next lexicographic permutation
    let i = n - 2;
    while (i >= 0 && p[i]! > p[i + 1]!) i--;
    if (i < 0) break;
    let j = n - 1;
    while (p[j]! < p[i]!) j--;
    [p[i], p[j]] = [p[j]!, p[i]!];
    for (let a = i + 1, b = n - 1; a < b; a++, b--) [p[a], p[b]] = [p[b]!, p[a]!];
  }
  return out;
}

/**
 * `count` permutations of `tiles` items with maximal minimum Hamming distance, chosen greedily
 * as Noroozi & Favaro's set: start from a random permutation, then repeatedly add the one whose
 * distance to the nearest chosen one is largest (ties broken by `rng`). Deterministic for a
 * given generator state. With `count` = tiles! (e.g. 24 for a 2x2 grid) it is every permutation.
 * @throws ConfigError when `tiles` is not in 2..9 or `count` is not in 1..tiles!.
 */
export function maximalHammingPermutations(count: number, tiles: number, rng: Rng): number[][] {
  if (!Number.isInteger(tiles) || tiles < 2 || tiles > 9) {
    throw new ConfigError(`expected 2..9 tiles, got ${tiles}`, { field: 'jigsaw.tiles' });
  }
  const all = allPermutations(tiles);
  const total = all.length / tiles;
  if (!Number.isInteger(count) || count < 1 || count > total) {
    throw new ConfigError(`expected 1..${total} permutations of ${tiles} tiles, got ${count}`, {
      field: 'jigsaw.permutations',
    });
  }
  const minDist = new Uint8Array(total).fill(255);
  const chosen: number[] = [];
  let next = rng.int(total);
  while (chosen.length < count) {
    chosen.push(next);
    const base = next * tiles;
    let best = -1;
    let ties: number[] = [];
    for (let r = 0; r < total; r++) {
      let d = 0;
      const o = r * tiles;
      for (let i = 0; i < tiles; i++) if (all[o + i] !== all[base + i]) d++;
      if (d < minDist[r]!) minDist[r] = d;
      const m = minDist[r]!;
      if (m > best) {
        best = m;
        ties = [r];
      } else if (m === best) ties.push(r);
    }
    next = ties[rng.int(ties.length)]!;
  }
  return chosen.map((r) => Array.from(all.subarray(r * tiles, (r + 1) * tiles)));
}

/** Grid of a jigsaw puzzle. */
export interface JigsawOptions {
  /** Tiles per side (3: a 3x3 puzzle of 9 tiles). Default 3. */
  grid?: number;
  /** Side of each tile; the cell is `floor(min(h, w) / grid)` and the tile sits at a random offset in it. Default cell - 2. */
  tile?: number;
}

/** Cell and tile sizes for images of `h` x `w`, checked. */
export function resolveJigsawOptions(
  h: number,
  w: number,
  o: JigsawOptions = {},
): { grid: number; cell: number; tile: number } {
  const grid = o.grid ?? 3;
  if (!Number.isInteger(grid) || grid < 2 || grid > 3) {
    throw new ConfigError(`expected a grid of 2 or 3 tiles per side, got ${grid}`, { field: 'jigsaw.grid' });
  }
  const cell = Math.floor(Math.min(h, w) / grid);
  const tile = o.tile ?? cell - 2;
  if (!Number.isInteger(tile) || tile < 1 || tile > cell) {
    throw new ConfigError(`expected a tile side in 1..${cell} (the cell of ${h}x${w} images), got ${tile}`, {
      field: 'jigsaw.tile',
    });
  }
  return { grid, cell, tile };
}

/** A jigsaw batch. */
export interface JigsawBatch {
  /**
   * Tiles `[n * grid^2, tile, tile, c]`, image-major: rows `i * grid^2 + s` are the tiles of
   * image i in shuffled order, slot s holding the tile of grid cell `permutation[s]`.
   */
  tiles: tf.Tensor4D;
  /** Index of each image's permutation in the set. */
  labels: number[];
}

/**
 * Cuts each image of `images` `[n, h, w, c]` into a grid of jittered tiles and shuffles them
 * by a permutation drawn uniformly from `permutations` (from {@link maximalHammingPermutations}).
 * The grid is centred; cells are numbered row-major.
 */
export function jigsawBatch(
  images: tf.Tensor4D,
  permutations: readonly (readonly number[])[],
  rng: Rng,
  options: JigsawOptions = {},
): JigsawBatch {
  const [n, h, w] = images.shape;
  const { grid, cell, tile } = resolveJigsawOptions(h, w, options);
  const tiles = grid * grid;
  for (const p of permutations) {
    if (p.length !== tiles)
      throw new ConfigError(`permutations must have ${tiles} entries, got ${p.length}`, { field: 'permutations' });
  }
  const y0 = Math.floor((h - grid * cell) / 2);
  const x0 = Math.floor((w - grid * cell) / 2);
  const boxes: PatchBox[] = [];
  const labels: number[] = [];
  for (let image = 0; image < n; image++) {
    const label = rng.int(permutations.length);
    labels.push(label);
    for (const cellIndex of permutations[label]!) {
      const row = Math.floor(cellIndex / grid);
      const col = cellIndex % grid;
      boxes.push({
        image,
        top: y0 + row * cell + rng.int(cell - tile + 1),
        left: x0 + col * cell + rng.int(cell - tile + 1),
      });
    }
  }
  return { tiles: cropPatches(images, boxes, tile), labels };
}
