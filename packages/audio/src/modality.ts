import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, env, type LoadOptions, type Modality } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { loadWavFolder } from './io/wav-folder.js';
import { methods } from './methods/registry.js';

/** Sample rate and clip length every CLI load uses: one second at 16 kHz. */
export const CLI_CLIP = { sampleRate: 16000, clipSamples: 16000 } as const;

/** Where the data sets fetched by tools/fetch-data.mjs live. */
function dataDir(): string {
  if (env.dataDir) return resolve(env.dataDir);
  // <repo>/packages/audio/{src,dist}/modality.* -> <repo>/data
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');
}

/** The audio modality: what `autodidact <command> audio` uses. Data: a folder of WAV files. */
export const modality: Modality<tf.Tensor> = {
  name: 'audio',
  description: 'audio (folders of WAV files, one subfolder per class for labels; 1 s mono clips at 16 kHz)',
  methods,
  async loadUnlabeled(path: string, options: LoadOptions = {}) {
    return loadWavFolder(path, { ...CLI_CLIP, limit: options.limit, skipCorrupt: options.skipCorrupt });
  },
  async loadLabeled(path: string, options: LoadOptions = {}) {
    return loadWavFolder(path, {
      ...CLI_CLIP,
      limit: options.limit,
      skipCorrupt: options.skipCorrupt,
      requireLabels: true,
    });
  },
  createEncoder,
  async defaultData() {
    const dir = join(dataDir(), 'spoken-digits');
    if (!existsSync(join(dir, '.complete'))) {
      throw new ConfigError(
        `spoken-digits is not in ${dataDir()}; fetch it with: npx autodidact data fetch spoken-digits`,
        {
          field: '--data',
        },
      );
    }
    // Pretraining and the probe's training read six accents; the probe is scored on the two
    // held-out ones (core's data-sets/audio.ts writes the .splits folders).
    return {
      train: join(dir, '.splits', 'train'),
      test: join(dir, '.splits', 'test'),
      description:
        'spoken digits by espeak-ng (720 clips of 6 accents; probe scored on 240 clips of 2 held-out accents)',
    };
  },
};
