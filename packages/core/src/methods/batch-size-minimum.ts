import { ConfigError } from '../errors.js';

/**
 * The smallest batch a method learns from, and why: contrastive objectives need other samples
 * of the batch as negatives; batch-statistics objectives (Barlow Twins, VICReg) and batch norm
 * need more than one sample to estimate a variance. Below it the loss is 0 or constant and
 * nothing is learned, so the Trainer and the CLI refuse such a batch size.
 */
export interface BatchSizeMinimum {
  /** Smallest batch size (samples per step) that trains. */
  size: number;
  /** Why, as a clause: "NT-Xent contrasts each sample with the other samples of its batch". */
  reason: string;
}

/**
 * Throws a ConfigError naming `field` when a step of `batchSize` samples (fewer when the data
 * set is smaller: `datasetSize`) is below `method`'s minimum.
 */
export function checkBatchSizeMinimum(
  method: string,
  minimum: BatchSizeMinimum | undefined,
  batchSize: number,
  options: { field?: string; datasetSize?: number } = {},
): void {
  if (!minimum) return;
  const field = options.field ?? 'batchSize';
  const need = `method '${method}' needs at least ${minimum.size} samples per batch (${minimum.reason})`;
  if (batchSize < minimum.size) {
    throw new ConfigError(`${need}, got ${batchSize}`, { field });
  }
  if (options.datasetSize !== undefined && options.datasetSize < minimum.size) {
    throw new ConfigError(
      `${need}, but the data has only ${options.datasetSize} sample${options.datasetSize === 1 ? '' : 's'}`,
      { field: 'data' },
    );
  }
}
