/**
 * Reading data for a saved encoder, as `embed`, `probe` and `finetune` do: the modality's data
 * flags where given, else the loader settings the encoder was trained with, fitted to its input;
 * and for the two that evaluate it, a labelled train and test split.
 */
import { resolve } from 'node:path';
import { type AnyDataset, closeDataset } from '../data/streaming-dataset.js';
import { ConfigError } from '../errors.js';
import type { LogFormat } from './log-output.js';
import { loadOptionsForEncoder } from './loader-options.js';
import type { LoadOptions, Modality } from './modality.js';
import type { restoreEncoder } from './restore-encoder.js';

/** The flags `embed`, `probe` and `finetune` share: the backend, their messages and how the data is read. */
export interface EncoderDataFlags {
  backend?: 'tensorflow' | 'native' | 'cpu' | 'wasm';
  quiet?: boolean;
  /** `text` or `json` messages on stderr (default env AUTODIDACT_LOG_FORMAT). */
  logFormat?: LogFormat;
  /** Stop at the first bad data file instead of skipping it. */
  strict?: boolean;
  /** The modality's data flags (`--image-size`, `--window`, ...), by option name. */
  [loaderOption: string]: unknown;
}

/** What `restoreEncoder` gives back. */
export type RestoredEncoder = Awaited<ReturnType<typeof restoreEncoder>>;

/** A data set whose samples all carry a label. */
export type LabeledDataset = AnyDataset<unknown> & { readonly labels: Int32Array };

/**
 * The load options for data that `restored`'s encoder will read: the modality's data flags
 * (`--image-size`, ...) over the settings saved with the encoder (said in one line when those are
 * used), `--strict`, and notes and warnings through `say`.
 */
export function encoderLoadOptions(
  restored: Pick<RestoredEncoder, 'encoder' | 'modality' | 'loaderOptions'>,
  flags: EncoderDataFlags,
  say: (line: string) => void,
): LoadOptions {
  return loadOptionsForEncoder({
    specs: restored.modality.loaderOptions ?? [],
    flags,
    saved: restored.loaderOptions,
    encoder: restored.encoder.config,
    strict: flags.strict,
    say,
  });
}

/** One labelled split to load: its path, the flag that named it (for errors) and a sample limit. */
export interface LabeledSplit {
  path: string;
  flag: string;
  limit: number | undefined;
}

/**
 * Loads the train split, then the test split, with `load`; a split without labels is a
 * ConfigError naming its flag (`no labels found in <path>`), and then both are closed.
 */
export async function loadLabeledSplits(
  modality: Modality<unknown>,
  load: LoadOptions,
  splits: { train: LabeledSplit; test: LabeledSplit },
): Promise<{ train: LabeledDataset; test: LabeledDataset }> {
  const train = await modality.loadLabeled(resolve(splits.train.path), { ...load, limit: splits.train.limit });
  let test: AnyDataset<unknown> | undefined;
  try {
    test = await modality.loadLabeled(resolve(splits.test.path), { ...load, limit: splits.test.limit });
    const unlabeled = (split: LabeledSplit) =>
      new ConfigError(`no labels found in ${split.path}`, { field: split.flag });
    if (!train.labels) throw unlabeled(splits.train);
    if (!test.labels) throw unlabeled(splits.test);
    return { train: train as LabeledDataset, test: test as LabeledDataset };
  } catch (err) {
    await closeDataset(train);
    if (test) await closeDataset(test);
    throw err;
  }
}
