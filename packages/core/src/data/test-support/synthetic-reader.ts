/**
 * A SampleReader for tests: sample i, element k is `i * 1000 + k`, plus `(seed % 997) / 1000`
 * for a training draw, so values show which index and which seed were read. Listed indices fail
 * (as a named bad file, or with a plain Error), one index can kill its worker, and the factory
 * can fail, to exercise every error path of the data workers.
 */
import { DataFormatError } from '../../errors.js';
import type { SampleArray, SampleReader } from '../sample-reader.js';

export interface SyntheticConfig {
  size: number;
  shape: number[];
  /** Indices whose read throws a DataFormatError naming `synthetic/<i>.bin`. */
  bad?: number[];
  /** Indices whose read throws a plain Error. */
  broken?: number[];
  /** Index whose read ends the worker thread (process.exit inside the worker). */
  exitAt?: number;
  /** The factory throws this message. */
  initError?: string;
  /** Reads in flight at once (the reader's `concurrency`); reads then finish out of order. */
  concurrency?: number;
}

export function syntheticValue(i: number, k: number, seed?: number): number {
  return i * 1000 + k + (seed === undefined ? 0 : (seed % 997) / 1000);
}

export function createSampleReader(config: SyntheticConfig): SampleReader {
  if (config.initError) throw new DataFormatError(config.initError, { file: 'synthetic/config' });
  const bad = new Set(config.bad ?? []);
  const broken = new Set(config.broken ?? []);
  const concurrency = config.concurrency;
  return {
    ...(concurrency ? { concurrency } : {}),
    size: config.size,
    layout: { shape: config.shape, dtype: 'float32' },
    describe: (i) => `synthetic/${i}.bin`,
    async read(i: number, out: SampleArray, seed?: number) {
      if (i === config.exitAt) process.exit(3);
      // With several reads in flight, later indices may finish first.
      if (concurrency) await new Promise((done) => setTimeout(done, (i * 7) % 5));
      if (bad.has(i)) throw new DataFormatError('truncated header', { file: `synthetic/${i}.bin` });
      if (broken.has(i)) throw new Error('something odd\nsecond line');
      for (let k = 0; k < out.length; k++) out[k] = syntheticValue(i, k, seed);
    },
  };
}
