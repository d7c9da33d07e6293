// MNIST for the vision examples: the first images of its training and test splits, from the data
// folder the CLI reads (core's `dataDir`: AUTODIDACT_DATA_DIR, else the repository's data/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, type TensorDataset } from '@autodidact/core';
import { loadIdx } from '@autodidact/vision';

/**
 * The first `limits.train` training and `limits.test` test images, with their labels. Without
 * MNIST in the data folder it prints the command that fetches it and exits.
 */
export async function loadMnist(limits: { train: number; test: number }): Promise<{
  train: TensorDataset;
  test: TensorDataset;
}> {
  const dir = join(dataDir(), 'mnist');
  if (!existsSync(join(dir, 'train-images-idx3-ubyte'))) {
    console.error(`MNIST not found in ${dir}; fetch it with: npx autodidact data fetch mnist`);
    process.exit(1);
  }
  return {
    train: await loadIdx(join(dir, 'train-images-idx3-ubyte'), { limit: limits.train }),
    test: await loadIdx(join(dir, 't10k-images-idx3-ubyte'), { limit: limits.test }),
  };
}
