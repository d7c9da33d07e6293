/**
 * The multimodal modality for the CLI: `autodidact pretrain multimodal --method clip --data
 * <paired folder>` ({@link openPairedFolder}: images, each with a .wav or a .txt of its name,
 * streamed like the other modalities' folders).
 * The saved encoder is the image tower, so `embed` and `probe` read a paired folder's images
 * with it.
 */
import { modality as audio } from '@autodidact/audio';
import {
  type AnyDataset,
  badFilesFor,
  ConfigError,
  closeDataset,
  DataFormatError,
  defineModality,
  type Encoder,
  type EncoderConfig,
  type LoaderOptionSpec,
  type LoadOptions,
  type Modality,
  loadLog,
  type Rng,
} from '@autodidact/core';
import { createEncoder as createVisionEncoder, modality as vision } from '@autodidact/vision';
import { rememberPartner } from './data/loaded-partner.js';
import type { PairedBatch } from './data/paired-dataset.js';
import { openPairedFolder, PAIRED_SOUND_DEFAULTS } from './data/paired-folder.js';
import { methods } from './methods/registry.js';

/** Audio's `--sample-rate` and `--clip-seconds`, at the paired sounds' defaults (8 kHz, 1 s: the spoken-digit pairing's). */
const PAIRED_SOUND_OPTIONS: readonly LoaderOptionSpec[] = (audio.loaderOptions ?? [])
  .filter((o) => o.name === 'sampleRate' || o.name === 'clipSeconds')
  .map((o) => ({
    ...o,
    default: PAIRED_SOUND_DEFAULTS[o.name as keyof typeof PAIRED_SOUND_DEFAULTS],
    description: `${o.description} (image + sound pairs)`,
  }));

/** The multimodal loader's options: vision's `--image-size` and `--channels`, and audio's `--sample-rate` and `--clip-seconds`. */
export const MULTIMODAL_LOADER_OPTIONS: readonly LoaderOptionSpec[] = [
  ...(vision.loaderOptions ?? []),
  ...PAIRED_SOUND_OPTIONS,
];

/** Pairs streamed or in memory (by decoded size or `--data-mode`); labelled loads (the monitor, probes) need class subfolders. */
async function load(path: string, options: LoadOptions, labelled: boolean): Promise<AnyDataset<PairedBatch>> {
  const l = options.loader ?? {};
  const bad = badFilesFor(options, 'pairs');
  const { dataset, partner } = await openPairedFolder(path, {
    imageSize: l.imageSize as number | undefined,
    channels: l.channels as 1 | 3 | undefined,
    sampleRate: l.sampleRate as number | undefined,
    clipSeconds: l.clipSeconds as number | undefined,
    limit: options.limit,
    encoder: options.encoder,
    dataMode: options.dataMode,
    badFiles: bad,
    log: loadLog(options),
  });
  if (labelled && !dataset.labels) {
    await closeDataset(dataset);
    throw new DataFormatError('expected one subfolder per class (<folder>/<class>/<image> with its partner)', {
      file: path,
    });
  }
  bad.report(path);
  if (!labelled) rememberPartner(partner);
  return dataset;
}

/** The saved image tower, reading the image side of paired batches as CLIP's tower A does. */
function createEncoder(config: EncoderConfig, rng: Rng): Encoder<PairedBatch> {
  if (config.modality !== 'vision') {
    throw new ConfigError(`expected CLIP's image tower (a vision encoder), got a ${config.modality} encoder`, {
      field: 'encoder',
    });
  }
  const tower = createVisionEncoder(config, rng, 'image/');
  return {
    config: tower.config,
    apply: (batch, training) => tower.apply(batch.a, training),
    trainableVariables: () => tower.trainableVariables(),
    allVariables: () => tower.allVariables(),
    dispose: () => tower.dispose(),
  };
}

/**
 * The multimodal modality: what `autodidact <command> multimodal` uses. Data are paired folders
 * (image + sound or image + text); there is no default data set (`autodidact-multimodal clip`
 * trains the two built-in pairings of the fetched MNIST, Fashion-MNIST and spoken digits).
 */
export const modality: Modality<PairedBatch> = defineModality<PairedBatch>({
  name: 'multimodal',
  description: 'paired folders: each image with a .wav (sound) or .txt (text) of its name',
  methods,
  loaderOptions: MULTIMODAL_LOADER_OPTIONS,
  load,
  createEncoder,
});
