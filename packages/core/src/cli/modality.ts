import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import type { Encoder, EncoderConfig } from '../methods/encoder.js';
import type { BatchSizeMinimum } from '../methods/batch-size-minimum.js';
import type { Method } from '../methods/method.js';
import type { Registered, Registry } from '../methods/registry.js';
import type { Rng } from '../random/rng.js';
import type { TrainerOptions } from '../trainer/options.js';

/** How a method is built: from the sample shape of the data and user options. */
export interface MethodSpec<B = tf.Tensor> extends Registered {
  /** Trainer settings this method works best with (batch size, optimizer, lr); users override. */
  readonly trainerDefaults: Partial<TrainerOptions>;
  /** Method options with their defaults (documented in the method's docs page). */
  readonly defaultOptions: Readonly<Record<string, unknown>>;
  /** Smallest batch the method learns from (the same as its Method's); checked before any data loads. */
  readonly minBatchSize?: BatchSizeMinimum;
  create(args: { sampleShape: number[]; options: Record<string, unknown>; rng: Rng }): Method<B>;
}

/** Options for loading data from a path. */
export interface LoadOptions {
  /** Load at most this many samples (in file order). */
  limit?: number;
  /** Skip unreadable files and report how many, instead of failing on the first. */
  skipCorrupt?: boolean;
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
  readonly methods: Registry<MethodSpec<B>>;
  /** Unlabelled samples from a file or folder (labels kept if the layout has them). */
  loadUnlabeled(path: string, options?: LoadOptions): Promise<Dataset<B>>;
  /** Labelled samples: a folder with one subfolder per class, or a format that carries labels. */
  loadLabeled(path: string, options?: LoadOptions): Promise<Dataset<B>>;
  /** Rebuild an encoder from its saved config (weights are loaded afterwards by name). */
  createEncoder(config: EncoderConfig, rng: Rng): Encoder<B>;
  /** The embedded default data set, fetched locally: paths for pretraining and probing. */
  defaultData?(): Promise<{ train: string; test: string; description: string }>;
  /** Extra top-level CLI commands this modality provides, by name. */
  readonly commands?: Readonly<Record<string, ModalityCommand>>;
}
