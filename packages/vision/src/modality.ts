import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataFormatError, env, type LoadOptions, type Modality } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { loadIdx, looksLikeIdx } from './io/idx.js';
import { methods } from './methods/registry.js';

function checkPath(path: string, field: string): void {
  if (!existsSync(path)) throw new DataFormatError('no such file or folder', { file: path });
  if (statSync(path).isDirectory()) {
    throw new ConfigError(
      `${path} is a folder; this version of @autodidact/vision reads IDX files (pass the images file, e.g. train-images-idx3-ubyte.gz)`,
      { field },
    );
  }
}

/** Where the data sets fetched by tools/fetch-data.mjs live. */
function dataDir(): string {
  if (env.dataDir) return resolve(env.dataDir);
  // <repo>/packages/vision/{src,dist}/modality.* -> <repo>/data
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');
}

/** The vision modality: what `autodidact <command> vision` uses. */
export const modality: Modality<tf.Tensor> = {
  name: 'vision',
  description: 'images (IDX: MNIST, Fashion-MNIST)',
  methods,
  async loadUnlabeled(path: string, options: LoadOptions = {}) {
    checkPath(path, '--data');
    if (!looksLikeIdx(path)) {
      throw new DataFormatError('unsupported image data: expected an IDX file (*-idx3-ubyte[.gz])', { file: path });
    }
    return loadIdx(path, { limit: options.limit });
  },
  async loadLabeled(path: string, options: LoadOptions = {}) {
    checkPath(path, 'data');
    return loadIdx(path, { limit: options.limit, requireLabels: true });
  },
  createEncoder,
  async defaultData() {
    const dir = join(dataDir(), 'mnist');
    const train = join(dir, 'train-images-idx3-ubyte');
    const test = join(dir, 't10k-images-idx3-ubyte');
    if (!existsSync(train) || !existsSync(test)) {
      throw new ConfigError(`MNIST is not in ${dir}; fetch it with: node tools/fetch-data.mjs mnist`, {
        field: '--data',
      });
    }
    return { train, test, description: 'MNIST (60,000 training and 10,000 test digits)' };
  },
};
