import { ConfigError } from '../errors.js';

/** Where a data set's decoded samples live: `memory` (one tensor), `stream` (read from disk while training) or `auto`. */
export type DataMode = 'auto' | 'memory' | 'stream';

/** The data modes, for CLI choices and validation. */
export const DATA_MODES: readonly DataMode[] = ['auto', 'memory', 'stream'];

/**
 * `auto` keeps a data set in memory when its decoded size (samples x values per sample x 4
 * bytes) is at most this: 1 GiB. Larger sets stream from disk. One gibibyte leaves room for the
 * model, the optimizer and a few batches on a laptop with 8 GB, and is where decoding
 * everything up front starts to take longer than a short run's first epoch.
 */
export const STREAM_THRESHOLD_BYTES = 2 ** 30;

/** Checks a user's `--data-mode` value. */
export function parseDataMode(value: string | undefined, field = '--data-mode'): DataMode {
  if (value === undefined) return 'auto';
  if (!(DATA_MODES as readonly string[]).includes(value)) {
    throw new ConfigError(`expected one of ${DATA_MODES.join(', ')}, got '${value}'`, { field });
  }
  return value as DataMode;
}

/**
 * Memory or stream for a data set whose decoded size is `decodedBytes`: the forced mode when
 * `mode` is not `auto`, else memory up to `threshold` bytes (default {@link STREAM_THRESHOLD_BYTES}).
 */
export function chooseDataMode(
  mode: DataMode,
  decodedBytes: number,
  threshold = STREAM_THRESHOLD_BYTES,
): 'memory' | 'stream' {
  if (mode === 'memory' || mode === 'stream') return mode;
  return decodedBytes <= threshold ? 'memory' : 'stream';
}
