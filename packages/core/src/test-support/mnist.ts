/**
 * The MNIST files (fetched by tools/fetch-data.mjs into the data folder: AUTODIDACT_DATA_DIR or
 * <repo>/data) for the tests that train or export on them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Modality } from '../cli/modality.js';
import { closeDataset, readBatch } from '../data/streaming-dataset.js';
import { dataSetDir } from '../data-sets/index.js';

/** The folder of the MNIST files. */
export const mnistDir = dataSetDir('mnist');
/** The 60,000 training images (IDX, labels beside them). */
export const mnistTrain = join(mnistDir, 'train-images-idx3-ubyte');
/** The 10,000 test images. */
export const mnistTest = join(mnistDir, 't10k-images-idx3-ubyte');

/** Whether both MNIST splits have been fetched; when not, warns that `what` is skipped. */
export function mnistPresent(what: string): boolean {
  const present = existsSync(mnistTrain) && existsSync(mnistTest);
  if (!present) console.warn(`skipping ${what}: ${mnistDir} is missing (run node tools/fetch-data.mjs mnist)`);
  return present;
}

/**
 * The training images `from .. from + count - 1` as the vision modality reads them
 * ([count, 28, 28, 1]), for comparing an encoder's embeddings across runtimes.
 */
export async function readMnistImages(vision: Modality<unknown>, from: number, count: number): Promise<tf.Tensor> {
  const data = await vision.loadUnlabeled(mnistTrain, { limit: from + count });
  try {
    return (await readBatch(
      data,
      Array.from({ length: count }, (_, i) => from + i),
    )) as tf.Tensor;
  } finally {
    await closeDataset(data);
  }
}
