import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, type TensorDataset } from '@autodidact/core';
import { loadIdx } from '../io/idx.js';

/** The folder tools/fetch-data.mjs fills (AUTODIDACT_DATA_DIR or <repo>/data). */
export const DATA_DIR = dataDir();

/** Path of a file of a fetched set, or throws with the command that fetches it. */
export function dataFile(set: string, file: string): string {
  const p = join(DATA_DIR, set, file);
  if (!existsSync(p)) throw new Error(`${p} is missing: run 'node tools/fetch-data.mjs ${set}'`);
  return p;
}

/** The first `limit` images of the MNIST training set, the method tests' data. */
export function mnistTrainImages(limit: number): Promise<TensorDataset> {
  return loadIdx(dataFile('mnist', 'train-images-idx3-ubyte'), { limit });
}
