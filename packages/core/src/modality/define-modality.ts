/**
 * `defineModality`: a modality package's contract as data. It owns where the modality's
 * default data set lives (under core's one {@link dataDir}), its loaders (one `load` for
 * unlabelled and labelled data) and its methods (a list of definitions). Node-only: the
 * default data is found on disk.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { AnyDataset } from '../data/streaming-dataset.js';
import { dataSetDir, fetchCommand } from '../data-sets/index.js';
import { ConfigError } from '../errors.js';
import type { MethodDefinition } from '../methods/define-method.js';
import type { Encoder, EncoderConfig } from '../methods/encoder.js';
import type { Registry } from '../methods/registry.js';
import type { Rng } from '../random/rng.js';
import type { LoaderOptionSpec, LoadOptions, Modality, ModalityCommand } from './modality.js';

/** A modality's embedded default data: a fetched set and its two splits inside it. */
export interface DefaultDataSet {
  /** The data set's name (`autodidact data fetch <set>`). */
  readonly set: string;
  /** Pretraining (and probe training) data, relative to the set's folder. */
  readonly train: string;
  /** Probe test data, relative to the set's folder. */
  readonly test: string;
  /** One line: what the data is. */
  readonly description: string;
}

/** Where a modality's default data comes from: a fetched set, or a function for data derived from one. */
export type DefaultDataSource = DefaultDataSet | (() => Promise<{ train: string; test: string; description: string }>);

/** What {@link defineModality} takes. */
export interface ModalityDefinitionInput<B = tf.Tensor> {
  readonly name: string;
  readonly description: string;
  /** The modality's methods (a `methodRegistry` of `defineMethod` results), in `--help` order. */
  readonly methods: Registry<MethodDefinition<B>>;
  /** Reads unlabelled (`labelled` false) or labelled samples from a file or folder. */
  load(path: string, options: LoadOptions, labelled: boolean): Promise<AnyDataset<B>>;
  /** Rebuilds an encoder from its saved config. */
  createEncoder(config: EncoderConfig, rng: Rng): Encoder<B>;
  /** The loader's options, in `--help` order. */
  readonly loaderOptions?: readonly LoaderOptionSpec[];
  /** The embedded default data. */
  readonly defaultData?: DefaultDataSource;
  /** Extra top-level CLI commands, by name. */
  readonly commands?: Readonly<Record<string, ModalityCommand>>;
}

/**
 * Paths of a default data set under the data folder; a ConfigError (field `--data`) saying how
 * to fetch it when its splits are not there.
 */
export function defaultDataPaths(d: DefaultDataSet): { train: string; test: string; description: string } {
  const dir = dataSetDir(d.set);
  const train = join(dir, d.train);
  const test = join(dir, d.test);
  if (!existsSync(train) || !existsSync(test)) {
    throw new ConfigError(`${d.set} is not in ${dir}; fetch it with: ${fetchCommand([d.set])}`, { field: '--data' });
  }
  return { train, test, description: d.description };
}

/** Builds the {@link Modality} a package exports (`export const modality = defineModality({...})`). */
export function defineModality<B = tf.Tensor>(input: ModalityDefinitionInput<B>): Modality<B> {
  const source = input.defaultData;
  return {
    name: input.name,
    description: input.description,
    methods: input.methods,
    loadUnlabeled: (path: string, options: LoadOptions = {}) => input.load(path, options, false),
    loadLabeled: (path: string, options: LoadOptions = {}) => input.load(path, options, true),
    createEncoder: (config: EncoderConfig, rng: Rng) => input.createEncoder(config, rng),
    ...(input.loaderOptions ? { loaderOptions: input.loaderOptions } : {}),
    ...(source ? { defaultData: typeof source === 'function' ? source : async () => defaultDataPaths(source) } : {}),
    ...(input.commands ? { commands: input.commands } : {}),
  };
}
