import { Rng } from '../random/rng.js';

/**
 * Which samples each step sees: epoch e visits the dataset in a permutation drawn from a
 * generator seeded by (seed, e), in consecutive batches of `batchSize`; the last partial
 * batch is dropped (so every step has the same batch size, which contrastive losses and
 * batch norm want). The position is just (epoch, cursor), so a checkpoint stores two
 * numbers and a resumed run sees exactly the samples an uninterrupted one would.
 */
export class DataOrder {
  /** Batches per epoch: floor(size / batchSize), or 1 (the whole set) when size < batchSize. */
  readonly stepsPerEpoch: number;
  // The last two epochs' permutations: a streaming source's read-ahead crosses epoch ends.
  private cache: { epoch: number; perm: number[] }[] = [];

  constructor(
    readonly size: number,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    this.stepsPerEpoch = Math.max(1, Math.floor(size / batchSize));
  }

  /** The permutation of epoch `epoch`. */
  permutation(epoch: number): number[] {
    const hit = this.cache.find((c) => c.epoch === epoch);
    if (hit) return hit.perm;
    const epochSeed = (Math.imul(this.seed >>> 0, 0x85ebca6b) ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
    const perm = new Rng(epochSeed).permutation(this.size);
    this.cache = [...this.cache.slice(-1), { epoch, perm }];
    return perm;
  }

  /** Sample indices of batch `cursor` (0-based) of epoch `epoch`. */
  batchIndices(epoch: number, cursor: number): number[] {
    const start = cursor * this.batchSize;
    return this.permutation(epoch).slice(start, start + Math.min(this.batchSize, this.size));
  }
}
