import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, env, type LoadOptions, type Modality } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { DEFAULT_WINDOW_LENGTH, loadLabeledWindows, loadWindows } from './io/load-windows.js';
import { methods } from './methods/registry.js';

/** Where the data sets fetched by tools/fetch-data.mjs live. */
function dataDir(): string {
  if (env.dataDir) return resolve(env.dataDir);
  // <repo>/packages/genomics/{src,dist}/modality.* -> <repo>/data
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');
}

/**
 * The genomics modality: what `autodidact <command> genomics` uses. Data are FASTA/FASTQ files
 * (plain or gzip) cut into non-overlapping windows of 1,024 bases (ambiguity codes read as N);
 * labelled data are a folder with one subfolder of FASTA files per class.
 */
export const modality: Modality<tf.Tensor> = {
  name: 'genomics',
  description: `DNA (FASTA/FASTQ, plain or gzip; ${DEFAULT_WINDOW_LENGTH}-base windows)`,
  methods,
  async loadUnlabeled(path: string, options: LoadOptions = {}) {
    return loadWindows(path, { limit: options.limit });
  },
  async loadLabeled(path: string, options: LoadOptions = {}) {
    return loadLabeledWindows(path, { limit: options.limit });
  },
  createEncoder,
  async defaultData() {
    const dir = join(dataDir(), 'bacteria');
    const train = join(dir, 'train');
    const test = join(dir, 'test');
    if (!existsSync(train) || !existsSync(test)) {
      throw new ConfigError(`the bacteria set is not in ${dir}; fetch it with: npx autodidact data fetch bacteria`, {
        field: '--data',
      });
    }
    return {
      train,
      test,
      description: '16 bacterial genomes of 4 species (species of origin; one strain per species held out for testing)',
    };
  },
};
