import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, initBackend, type TensorDataset } from '@autodidact/core';
import { beforeAll } from 'vitest';
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

/**
 * Before the tests of the enclosing file or block: the backend started quietly and the first
 * `limit` MNIST training images loaded into `images` (set then).
 */
export function mnistBeforeAll(limit: number): { readonly images: TensorDataset } {
  const mnist = { images: undefined as unknown as TensorDataset };
  beforeAll(async () => {
    await initBackend({ quiet: true });
    mnist.images = await mnistTrainImages(limit);
  });
  return mnist;
}
