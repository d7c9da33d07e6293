/**
 * The per-distance linear predictors of the DNA methods whose GRU context predicts something a
 * number of patches further along the window: CPC's W_k, one per offset k (van den Oord et al.
 * 2018, eq. 3), and Self-GenomeNet's W_g, one per gap g. The distances in use depend on how many
 * patches a window holds, so both methods choose them with {@link patchDistances}.
 */
import { mergeVariables, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { LinearMap } from './linear-map.js';

/** Patches in a window of `sampleShape` `[length, 4]` (the encoder's patch latents per window). */
export function patchCount(sampleShape: number[], patchLength: number): number {
  return Math.floor(sampleShape[0]! / patchLength);
}

/** The distances `first..last` (both included), or `[fallback]` when that range is empty. */
export function patchDistances(first: number, last: number, fallback: number): number[] {
  const out: number[] = [];
  for (let d = first; d <= last; d++) out.push(d);
  if (out.length === 0) out.push(fallback);
  return out;
}

/**
 * One {@link LinearMap} `[..., inDim] -> [..., outDim]` per distance, its variables named
 * `<prefix><distance>/kernel` and `<prefix><distance>/bias`, in the order of `distances`.
 */
export class PatchPredictors {
  /** The maps, one per entry of `distances`, in that order. */
  readonly maps: LinearMap[];

  constructor(
    /** Distances in patches, one map each. */
    readonly distances: number[],
    prefix: string,
    inDim: number,
    outDim: number,
    rng: Rng,
  ) {
    this.maps = distances.map((d) => new LinearMap(`${prefix}${d}/`, inDim, outDim, rng));
  }

  /** The variables of all maps by checkpoint name, in map order. */
  variables(): Map<string, tf.Variable> {
    return mergeVariables(...this.maps.map((p) => p.variables()));
  }

  dispose(): void {
    for (const p of this.maps) p.dispose();
  }
}
