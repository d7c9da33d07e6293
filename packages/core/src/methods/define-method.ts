/**
 * The plugin contract of a self-supervised method: a definition is plain data (name, modality,
 * summary, one option table, trainer settings) plus `create`. Registries are lists of
 * definitions; the method's constructor (`definition.resolve`), the CLI's `--help`,
 * `autodidact methods`, `--option` checking and the docs pages' option tables all read them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import type { TrainerOptions } from '../trainer/options.js';
import type { BatchSizeMinimum } from './batch-size-minimum.js';
import type { Method } from './method.js';
import {
  type OptionSpec,
  type OptionsOf,
  type OptionTable,
  optionDefaults,
  optionSchema,
  resolveOptions,
} from './option-schema.js';
import { type Registered, Registry } from './registry.js';

/** What {@link defineMethod} takes: a method's data and how to build it from resolved options. */
export interface MethodDefinitionInput<E extends OptionTable, B = tf.Tensor> {
  /** The name users type (`--method simclr`). */
  readonly name: string;
  /** The modality whose data the method trains on (`vision`, `audio`, `text`, `genomics`). */
  readonly modality: string;
  /** One line: what the method does and its reference. */
  readonly summary: string;
  /** Every option, declared once: its default, type, bounds and meaning, in the order `--help` lists them. */
  readonly options: E;
  /** Trainer settings this method works best with (batch size, optimizer, lr); users override. */
  readonly trainerDefaults: Partial<TrainerOptions>;
  /** Smallest batch the method learns from (the same as its Method's); checked before any data loads. */
  readonly minBatchSize?: BatchSizeMinimum;
  /** Builds the method for samples of `sampleShape` from options already checked and merged over the defaults. */
  create(args: { sampleShape: number[]; options: OptionsOf<E>; rng: Rng }): Method<B>;
}

/** A method as registries list it and the CLI, the docs and the browser studio read it. */
export interface MethodDefinition<B = tf.Tensor> extends Registered {
  readonly name: string;
  readonly modality: string;
  readonly summary: string;
  /** The summary, as a {@link Registry} lists entries. */
  readonly description: string;
  /** Every option with its default value. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Type, bounds and description of every option, in `defaults` order. */
  readonly schema: Readonly<Record<string, OptionSpec>>;
  /** Trainer settings this method works best with (batch size, optimizer, lr); users override. */
  readonly trainerDefaults: Partial<TrainerOptions>;
  /** Smallest batch the method learns from; checked before any data loads. */
  readonly minBatchSize?: BatchSizeMinimum;
  /**
   * `given` merged over the defaults, each value checked against the schema: a one-line
   * ConfigError names an unknown or wrong option and what it expects (its field is `field`,
   * default the option's name). What `--option` and the method's constructor run.
   */
  resolve(given: Readonly<Record<string, unknown>>, field?: string): Record<string, unknown>;
  /** Builds the method; `options` are checked and merged over the defaults first. */
  create(args: { sampleShape: number[]; options: Readonly<Record<string, unknown>>; rng: Rng }): Method<B>;
}

/** A definition that keeps its options' type: what a method's class resolves its options with. */
export interface DefinedMethod<O extends object, B = tf.Tensor> extends MethodDefinition<B> {
  readonly defaults: Readonly<O> & Readonly<Record<string, unknown>>;
  /** {@link MethodDefinition.resolve}, typed as the method's options. */
  resolve(given: Readonly<Partial<O>> | Readonly<Record<string, unknown>>, field?: string): O & Record<string, unknown>;
}

/**
 * Defines a method: splits its option table into the defaults and the schema, checks that each
 * default passes its own spec, and wraps `create` with option checking.
 */
export function defineMethod<E extends OptionTable, B = tf.Tensor>(
  input: MethodDefinitionInput<E, B>,
): DefinedMethod<OptionsOf<E>, B> {
  type O = OptionsOf<E>;
  const what = `method '${input.name}'`;
  const defaults = optionDefaults(input.options);
  const schema = optionSchema(input.options);
  // The defaults must pass their own spec: a bound written wrong shows at import time.
  resolveOptions(what, schema, defaults, defaults);
  const resolve = (given: Readonly<Record<string, unknown>>, field?: string) =>
    resolveOptions(what, schema, defaults, given, field);
  return {
    name: input.name,
    modality: input.modality,
    summary: input.summary,
    description: input.summary,
    defaults: defaults as Readonly<O> & Readonly<Record<string, unknown>>,
    schema: schema as Readonly<Record<string, OptionSpec>>,
    trainerDefaults: input.trainerDefaults,
    ...(input.minBatchSize ? { minBatchSize: input.minBatchSize } : {}),
    resolve,
    create: ({ sampleShape, options, rng }) => input.create({ sampleShape, options: resolve(options), rng }),
  };
}

/** What a modality's own `defineMethod` takes: a definition without the modality, the trainer settings optional. */
export type ModalityMethodInput<E extends OptionTable, B = tf.Tensor> = Omit<
  MethodDefinitionInput<E, B>,
  'modality' | 'trainerDefaults'
> & { readonly trainerDefaults?: Partial<TrainerOptions> };

/**
 * A modality's `defineMethod` (`visionMethod`, `audioMethod`, ...): fills in `modality` and the
 * trainer settings its methods share; a method that trains best otherwise gives its own.
 */
export function methodDefiner<B = tf.Tensor>(modality: string, trainerDefaults: Partial<TrainerOptions>) {
  return <E extends OptionTable>(input: ModalityMethodInput<E, B>): DefinedMethod<OptionsOf<E>, B> =>
    defineMethod<E, B>({ modality, trainerDefaults, ...input });
}

/**
 * The trainer settings vision, audio and genomics methods start from: one epoch of Adam at
 * `lr` over batches of `batchSize`, a 20-step linear warm-up, then cosine decay to 5% of `lr`.
 */
export function adamWarmupCosineDefaults(batchSize: number, lr: number): Partial<TrainerOptions> {
  return {
    batchSize,
    epochs: 1,
    optimizer: { name: 'adam', lr },
    schedule: { kind: 'cosine', warmupSteps: 20, minLrRatio: 0.05 },
  };
}

/** A registry of method definitions: `kind` names them in errors (`unknown vision method 'x'`). */
export function methodRegistry<B = tf.Tensor>(
  kind: string,
  definitions: readonly MethodDefinition<B>[],
): Registry<MethodDefinition<B>> {
  const registry = new Registry<MethodDefinition<B>>(kind);
  for (const d of definitions) registry.register(d);
  return registry;
}
