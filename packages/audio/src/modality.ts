import {
  type AnyDataset,
  badFilesFor,
  chooseDataMode,
  type LoaderOptionSpec,
  type LoadOptions,
  loadLog,
  type Modality,
  defineModality,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { openWavCrops } from './io/open-wav-crops.js';
import { listWavFiles, loadWavFolder } from './io/wav-folder.js';
import { methods } from './methods/registry.js';

/** Sample rate and clip length of a CLI load when no flag says otherwise: one second at 16 kHz. */
export const CLI_CLIP = { sampleRate: 16000, clipSamples: 16000 } as const;

/** The audio loader's options: `--sample-rate` and `--clip-seconds` on the CLI. */
export const AUDIO_LOADER_OPTIONS: readonly LoaderOptionSpec[] = [
  {
    name: 'sampleRate',
    type: 'integer',
    min: 1000,
    max: 192000,
    default: CLI_CLIP.sampleRate,
    placeholder: 'hz',
    description: 'resample every file to this rate (windowed sinc)',
  },
  {
    name: 'clipSeconds',
    type: 'number',
    min: 0.05,
    max: 600,
    default: CLI_CLIP.clipSamples / CLI_CLIP.sampleRate,
    placeholder: 's',
    description: 'clip length: longer files are centre-cropped, shorter ones zero-padded on both sides',
  },
  {
    name: 'cropSeconds',
    type: 'number',
    min: 0.05,
    max: 600,
    placeholder: 's',
    description:
      'long recordings: samples are crops of this length read by offset (random crops while training when streamed, tiled crops otherwise); replaces --clip-seconds',
    defaultText: 'none: each file is one clip',
  },
];

/** Rate and samples per clip from the loader options. */
export function clipOf(options: LoadOptions): { sampleRate: number; clipSamples: number } {
  const sampleRate = (options.loader?.sampleRate as number | undefined) ?? CLI_CLIP.sampleRate;
  const seconds = (options.loader?.clipSeconds as number | undefined) ?? CLI_CLIP.clipSamples / CLI_CLIP.sampleRate;
  return { sampleRate, clipSamples: Math.max(1, Math.round(seconds * sampleRate)) };
}

async function load(path: string, options: LoadOptions, requireLabels: boolean): Promise<AnyDataset<tf.Tensor>> {
  const log = loadLog(options);
  const bad = badFilesFor(options, 'WAV files');
  const cropSeconds = options.loader?.cropSeconds as number | undefined;
  if (cropSeconds !== undefined) {
    // Long recordings: indexed once, crops read by offset; in memory or streamed by decoded size.
    const { sampleRate } = clipOf(options);
    const ds = await openWavCrops(path, {
      sampleRate,
      cropSamples: Math.max(1, Math.round(cropSeconds * sampleRate)),
      requireLabels,
      limit: options.limit,
      dataMode: options.dataMode,
      badFiles: bad,
      log,
    });
    bad.report(path);
    return ds;
  }
  const clip = clipOf(options);
  const listing = await listWavFiles(path, requireLabels, { badFiles: bad, log });
  const n = Math.min(options.limit ?? listing.files.length, listing.files.length);
  // One clip per file: streamed when asked, or when the clips would not fit the memory budget;
  // in memory through the whole-file decoder (which reads more WAV encodings), same values.
  if (chooseDataMode(options.dataMode ?? 'auto', n * clip.clipSamples * 4) === 'stream') {
    const ds = await openWavCrops(path, {
      sampleRate: clip.sampleRate,
      cropSamples: clip.clipSamples,
      clip: true,
      listing,
      limit: options.limit,
      dataMode: 'stream',
      badFiles: bad,
      log,
    });
    bad.report(path);
    return ds;
  }
  const ds = await loadWavFolder(path, { ...clip, listing, limit: options.limit, requireLabels, badFiles: bad, log });
  bad.report(path);
  return ds;
}

/** The audio modality: what `autodidact <command> audio` uses. Data: a folder of WAV files. */
export const modality: Modality<tf.Tensor> = defineModality({
  name: 'audio',
  description: 'audio (folders of WAV files, one subfolder per class for labels; mono clips, 1 s at 16 kHz by default)',
  methods,
  loaderOptions: AUDIO_LOADER_OPTIONS,
  load,
  createEncoder,
  // Pretraining and the probe's training read six accents; the probe is scored on the two
  // held-out ones (core's data-sets/audio.ts writes the .splits folders).
  defaultData: {
    set: 'spoken-digits',
    train: '.splits/train',
    test: '.splits/test',
    description: 'spoken digits by espeak-ng (720 clips of 6 accents; probe scored on 240 clips of 2 held-out accents)',
  },
});
