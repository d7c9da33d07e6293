import type * as tf from '@tensorflow/tfjs';
import type { DataMode } from '../data/data-mode.js';
import type { AnyDataset } from '../data/streaming-dataset.js';
import type { MethodDefinition } from '../methods/define-method.js';
import type { Encoder, EncoderConfig } from '../methods/encoder.js';
import type { Registry } from '../methods/registry.js';
import type { Rng } from '../random/rng.js';

/**
 * How a method is built: from the sample shape of the data and user options.
 * @deprecated The name of {@link MethodDefinition} before `defineMethod`; use that.
 */
export type MethodSpec<B = tf.Tensor> = MethodDefinition<B>;

/**
 * One option of a modality's data loader, declared once as data: the CLI builds the flag
 * (`imageSize` -> `--image-size <px>`) of `pretrain`, `embed`, `probe` and `finetune` from it,
 * checks values against it and lists it in `--help`; the values reach the loader as
 * `LoadOptions.loader` and are saved with a trained encoder.
 */
export interface LoaderOptionSpec {
  /** Key in `LoadOptions.loader`; the CLI flag is its kebab-case form. */
  readonly name: string;
  /** Value type. `integer` and `number` take `min`/`max`; any type may list `choices`. */
  readonly type: 'integer' | 'number' | 'string';
  /** The value when none is given; absent when the data decides (then say how in `defaultText`). */
  readonly default?: number | string;
  /** How the default is chosen when it is not one value, for `--help`. */
  readonly defaultText?: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Smallest number accepted (inclusive). */
  readonly min?: number;
  /** Largest number accepted (inclusive). */
  readonly max?: number;
  /** The only values accepted, when they are a fixed set. */
  readonly choices?: readonly (number | string)[];
  /** Words accepted besides a number, e.g. `read` for genomics' `--window`. */
  readonly words?: readonly string[];
  /** Placeholder in `--help` (`--image-size <px>`). Default `n`, `x` or `value` by type. */
  readonly placeholder?: string;
  /**
   * A trained encoder's input decides this value for the data read for it, where a training
   * sample may hold more than one encoder input (text's `contextLength` for SimCSE's adjacent
   * positives: a sample of two windows, an encoder of one). The value of a pretraining run shapes
   * its training samples only: its monitor and evaluation loads, and later loads for the saved
   * encoder, take the encoder's value; a flag given to `embed`, `probe` or `finetune` must still
   * fit the encoder.
   */
  readonly encoderDecides?: boolean;
}

/** Options for loading data from a path. */
export interface LoadOptions {
  /** Load at most this many samples (in file order). */
  limit?: number;
  /**
   * Stop at the first bad file with its error (the CLI's `--strict`). Default: skip each bad file
   * with a warning line and end with one summary line (`skipped 3 of 1,204 files (2 empty, 1 truncated)`).
   */
  strict?: boolean;
  /** Values of the modality's declared loader options, by name; a missing key means its default. */
  loader?: Readonly<Record<string, unknown>>;
  /**
   * The encoder the data is for (`embed`, `probe`, `finetune`): samples are fitted to its input
   * (e.g. images resized and converted to its size and channels) with a one-line note, or refused
   * with a ConfigError naming what it expects and what the data is.
   */
  encoder?: EncoderConfig;
  /** Where notes and per-file warnings go, one line each. Default: stderr unless quiet. */
  log?: (line: string) => void;
  /**
   * Where decoded samples live: `memory`, `stream` (read from disk by data workers while
   * training) or `auto` (default: memory up to 1 GiB decoded). Loaders without a streaming
   * reader load into memory whatever is asked.
   */
  dataMode?: DataMode;
}

/** A command a modality adds to the CLI (`autodidact <name> ...`), e.g. text's `yarowsky`. */
export interface ModalityCommand {
  readonly description: string;
  /** Runs the command on the arguments after its name; throws typed errors on bad input. */
  run(argv: string[]): Promise<void>;
}

/**
 * What a modality package gives the CLI and the trainer. `autodidact <cmd> <modality>` loads
 * `@autodidact/<modality>` at run time and reads its exported `modality`, so core never
 * imports a modality package.
 */
export interface Modality<B = tf.Tensor> {
  readonly name: string;
  readonly description: string;
  readonly methods: Registry<MethodDefinition<B>>;
  /** Unlabelled samples from a file or folder (labels kept if the layout has them); in memory or streaming. */
  loadUnlabeled(path: string, options?: LoadOptions): Promise<AnyDataset<B>>;
  /** Labelled samples: a folder with one subfolder per class, or a format that carries labels. */
  loadLabeled(path: string, options?: LoadOptions): Promise<AnyDataset<B>>;
  /** Rebuild an encoder from its saved config (weights are loaded afterwards by name). */
  createEncoder(config: EncoderConfig, rng: Rng): Encoder<B>;
  /** The options of this modality's loaders (see {@link LoaderOptionSpec}), in `--help` order. */
  readonly loaderOptions?: readonly LoaderOptionSpec[];
  /** The embedded default data set, fetched locally: paths for pretraining and probing. */
  defaultData?(): Promise<{ train: string; test: string; description: string }>;
  /** Extra top-level CLI commands this modality provides, by name. */
  readonly commands?: Readonly<Record<string, ModalityCommand>>;
}
