import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type Dataset, DataFormatError, env, type LoadOptions, type Modality } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { loadIdx, looksLikeIdx } from './io/idx.js';
import { isImageFile } from './io/image-file.js';
import { listImageFolder, loadImageFolder, probeImage, summarizeSkipped } from './io/image-folder.js';
import { methods } from './methods/registry.js';

/** Folder images larger than this (either side) are fitted to `FOLDER_DEFAULT_SIZE`: the encoders are built for 28-96 px. */
export const FOLDER_MAX_SIDE = 96;
/** The size folder images are fitted to when the first image is larger than `FOLDER_MAX_SIDE`. */
export const FOLDER_DEFAULT_SIZE: [number, number] = [64, 64];

/**
 * Size and channels for a folder: the first image's size when it fits 28-96 px encoders, else
 * 64x64 (centre crop after scaling the shorter side); 1 channel when the first image is grey.
 */
export async function folderImageShape(root: string): Promise<{ size: [number, number]; channels: 1 | 3 }> {
  const first = listImageFolder(root, 'none').files.find((f) => isImageFile(f));
  if (!first) throw new DataFormatError('no PNG, JPEG or WebP images found', { file: root });
  const p = await probeImage(first);
  const size: [number, number] =
    Math.max(p.height, p.width) <= FOLDER_MAX_SIDE ? [p.height, p.width] : [...FOLDER_DEFAULT_SIZE];
  return { size, channels: p.channels };
}

async function load(path: string, options: LoadOptions, labelled: boolean, field: string): Promise<Dataset<tf.Tensor>> {
  if (!existsSync(path)) throw new DataFormatError('no such file or folder', { file: path });
  if (statSync(path).isDirectory()) {
    const ds = await loadImageFolder(path, {
      ...(await folderImageShape(path)),
      labels: labelled ? 'required' : 'auto',
      limit: options.limit,
      skipCorrupt: options.skipCorrupt,
    });
    if (ds.skipped.length > 0 && !env.quiet)
      process.stderr.write(`${path}: ${summarizeSkipped(ds.skipped, ds.listed, path)}\n`);
    return ds;
  }
  if (!looksLikeIdx(path)) {
    throw new ConfigError(
      `${path}: expected an ImageFolder (a folder of PNG/JPEG/WebP images, one subfolder per class for labels) or an IDX images file (*-idx3-ubyte[.gz])`,
      { field },
    );
  }
  return loadIdx(path, { limit: options.limit, requireLabels: labelled });
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
  description: 'images: ImageFolder (PNG/JPEG/WebP, one subfolder per class) or IDX (MNIST, Fashion-MNIST)',
  methods,
  loadUnlabeled: (path: string, options: LoadOptions = {}) => load(path, options, false, '--data'),
  loadLabeled: (path: string, options: LoadOptions = {}) => load(path, options, true, 'data'),
  createEncoder,
  async defaultData() {
    const dir = join(dataDir(), 'mnist');
    const train = join(dir, 'train-images-idx3-ubyte');
    const test = join(dir, 't10k-images-idx3-ubyte');
    if (!existsSync(train) || !existsSync(test)) {
      throw new ConfigError(`MNIST is not in ${dir}; fetch it with: npx autodidact data fetch mnist`, {
        field: '--data',
      });
    }
    return { train, test, description: 'MNIST (60,000 training and 10,000 test digits)' };
  },
};
