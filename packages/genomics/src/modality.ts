import {
  type AnyDataset,
  badFilesFor,
  ConfigError,
  type LoaderOptionSpec,
  type LoadOptions,
  loadLog,
  type Modality,
  defineModality,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { IUPAC_POLICIES, type IupacPolicy } from './io/iupac.js';
import { DEFAULT_WINDOW_LENGTH, type LoadWindowsOptions, loadLabeledWindows } from './io/load-windows.js';
import { openSequenceWindows } from './io/open-sequence-windows.js';
import { methods } from './methods/registry.js';

/** The genomics loader's options: `--window`, `--stride`, `--read-length` and `--iupac` on the CLI. */
export const GENOMICS_LOADER_OPTIONS: readonly LoaderOptionSpec[] = [
  {
    name: 'window',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    words: ['read'],
    default: DEFAULT_WINDOW_LENGTH,
    placeholder: 'bases|read',
    description:
      "bases per sample, cut from every record; 'read': each record (a FASTQ read) is one sample, trimmed or N-padded at the 3' end to --read-length",
  },
  {
    name: 'stride',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    placeholder: 'bases',
    description: 'bases between window starts (below --window: overlapping windows)',
    defaultText: 'the window (non-overlapping)',
  },
  {
    name: 'readLength',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    placeholder: 'bases',
    description:
      "with --window read: bases per sample; longer records keep their first ones, shorter get N at the 3' end",
    defaultText: 'the longest record',
  },
  {
    name: 'iupac',
    type: 'string',
    choices: IUPAC_POLICIES,
    default: 'as-N',
    placeholder: 'policy',
    description:
      'ambiguity codes (N, R, Y, ...): as-N keeps them as N (all-zero one-hot), skip-window drops windows holding one, replace-random draws a base they allow, error stops',
  },
];

/** Reader options from the loader options (a missing key takes its declared default). */
export function windowOptionsOf(options: LoadOptions): LoadWindowsOptions {
  const l = options.loader ?? {};
  const window = l.window ?? DEFAULT_WINDOW_LENGTH;
  const records = window === 'read';
  if (!records && l.readLength !== undefined) {
    throw new ConfigError('--read-length applies with --window read only', { field: '--read-length' });
  }
  if (records && l.stride !== undefined) {
    throw new ConfigError('--stride applies to windows, not to --window read', { field: '--stride' });
  }
  return {
    ...(records ? { records, recordLength: l.readLength as number | undefined } : { length: window as number }),
    stride: l.stride as number | undefined,
    iupac: (l.iupac as IupacPolicy | undefined) ?? 'as-N',
    limit: options.limit,
  };
}

/**
 * Unlabelled data go through the collection's index (in memory or streamed, by size or
 * `--data-mode`); labelled class folders are read into memory.
 */
async function load(path: string, options: LoadOptions, labelled: boolean): Promise<AnyDataset<tf.Tensor>> {
  const bad = badFilesFor(options, 'sequence files');
  const o = { ...windowOptionsOf(options), badFiles: bad, log: loadLog(options) };
  const ds = await (labelled
    ? loadLabeledWindows(path, o)
    : openSequenceWindows(path, { ...o, dataMode: options.dataMode }));
  bad.report(path);
  return ds;
}

/**
 * The genomics modality: what `autodidact <command> genomics` uses. Data are FASTA/FASTQ files
 * (plain, gzip or xz) cut into windows (default: non-overlapping, 1,024 bases; ambiguity codes
 * read as N), or one sample per read with `--window read`; labelled data are a folder with one
 * subfolder of FASTA files per class.
 */
export const modality: Modality<tf.Tensor> = defineModality({
  name: 'genomics',
  description: `DNA (FASTA/FASTQ, plain, gzip or xz; ${DEFAULT_WINDOW_LENGTH}-base windows by default)`,
  methods,
  loaderOptions: GENOMICS_LOADER_OPTIONS,
  load,
  createEncoder,
  defaultData: {
    set: 'bacteria',
    train: 'train',
    test: 'test',
    description: '16 bacterial genomes of 4 species (species of origin; one strain per species held out for testing)',
  },
});
