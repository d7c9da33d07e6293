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
  private cachedEpoch = -1;
  private cached: number[] = [];

  constructor(
    readonly size: number,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    this.stepsPerEpoch = Math.max(1, Math.floor(size / batchSize));
  }

  /** The permutation of epoch `epoch`. */
  permutation(epoch: number): number[] {
    if (epoch !== this.cachedEpoch) {
      const epochSeed = (Math.imul(this.seed >>> 0, 0x85ebca6b) ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
      this.cached = new Rng(epochSeed).permutation(this.size);
      this.cachedEpoch = epoch;
    }
    return this.cached;
  }

  /** Sample indices of batch `cursor` (0-based) of epoch `epoch`. */
  batchIndices(epoch: number, cursor: number): number[] {
    const start = cursor * this.batchSize;
    return this.permutation(epoch).slice(start, start + Math.min(this.batchSize, this.size));
  }
}
