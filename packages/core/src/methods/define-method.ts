/**
 * The plugin contract of a self-supervised method: a definition is plain data (name, modality,
 * summary, defaults, option schema, trainer settings) plus `create`. Registries are lists of
 * definitions; the CLI's `--help`, `autodidact methods`, `--option` checking and the docs
 * pages' option tables all read them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import type { TrainerOptions } from '../trainer/options.js';
import type { BatchSizeMinimum } from './batch-size-minimum.js';
import type { Method } from './method.js';
import {
  type OptionSchema,
  type OptionSpec,
  type OptionsOf,
  type OptionTable,
  optionDefaults,
  optionSchema,
  resolveOptions,
} from './option-schema.js';
import { type Registered, Registry } from './registry.js';

/** What {@link defineMethod} takes: a method's data and how to build it from resolved options. */
export interface MethodDefinitionInput<O extends object, B = tf.Tensor> {
  /** The name users type (`--method simclr`). */
  readonly name: string;
  /** The modality whose data the method trains on (`vision`, `audio`, `text`, `genomics`). */
  readonly modality: string;
  /** One line: what the method does and its reference. */
  readonly summary: string;
  /** Every option with its default value. */
  readonly defaults: O;
  /** Type, bounds and description of every option of `defaults`. */
  readonly schema: OptionSchema<O>;
  /** Trainer settings this method works best with (batch size, optimizer, lr); users override. */
  readonly trainerDefaults: Partial<TrainerOptions>;
  /** Smallest batch the method learns from (the same as its Method's); checked before any data loads. */
  readonly minBatchSize?: BatchSizeMinimum;
  /** Builds the method for samples of `sampleShape` from options already checked and merged over the defaults. */
  create(args: { sampleShape: number[]; options: O; rng: Rng }): Method<B>;
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
   * default the option's name).
   */
  resolveOptions(given: Readonly<Record<string, unknown>>, field?: string): Record<string, unknown>;
  /** Builds the method; `options` are checked and merged over the defaults first. */
  create(args: { sampleShape: number[]; options: Readonly<Record<string, unknown>>; rng: Rng }): Method<B>;
}

/**
 * What {@link defineMethod} takes when the options are one {@link OptionTable} (each option's
 * default beside its type, bounds and meaning) rather than separate defaults and schema.
 */
export interface MethodTableInput<E extends OptionTable, B = tf.Tensor>
  extends Omit<MethodDefinitionInput<OptionsOf<E>, B>, 'defaults' | 'schema'> {
  /** Every option: type, bounds, meaning and default. */
  readonly options: E;
}

/** A definition that keeps its options' type: what a method's class resolves its options with. */
export interface DefinedMethod<O extends object, B = tf.Tensor> extends MethodDefinition<B> {
  readonly defaults: Readonly<O> & Readonly<Record<string, unknown>>;
  /**
   * `given` merged over the defaults, each value checked against the schema (a one-line
   * ConfigError naming an unknown or wrong option otherwise): what the method's constructor runs.
   */
  resolve(given: Readonly<Partial<O>> | Readonly<Record<string, unknown>>): O;
}

/**
 * Defines a method: checks that the schema and the defaults agree (or splits one option table
 * into both), and wraps `create` with option checking.
 */
export function defineMethod<E extends OptionTable, B = tf.Tensor>(
  input: MethodTableInput<E, B>,
): DefinedMethod<OptionsOf<E>, B>;
export function defineMethod<O extends object, B = tf.Tensor>(input: MethodDefinitionInput<O, B>): DefinedMethod<O, B>;
export function defineMethod<O extends object, B = tf.Tensor>(
  given: MethodDefinitionInput<O, B> | MethodTableInput<OptionTable, B>,
): DefinedMethod<O, B> {
  const input = (
    'options' in given
      ? { ...given, defaults: optionDefaults(given.options), schema: optionSchema(given.options) }
      : given
  ) as MethodDefinitionInput<O, B>;
  const what = `method '${input.name}'`;
  const schema = input.schema as Readonly<Record<string, OptionSpec>>;
  const defaults = input.defaults as Readonly<Record<string, unknown>>;
  const missing = Object.keys(defaults).filter((k) => !Object.hasOwn(schema, k));
  const extra = Object.keys(schema).filter((k) => !Object.hasOwn(defaults, k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${what}: schema and defaults disagree (not in the schema: ${missing.join(', ') || '-'}; ` +
        `not in the defaults: ${extra.join(', ') || '-'})`,
    );
  }
  // The defaults must pass their own schema: a bound written wrong shows at import time.
  resolveOptions(what, input.schema, input.defaults, defaults);
  const ordered = Object.fromEntries(Object.keys(defaults).map((k) => [k, schema[k]!]));
  const resolve = (given: Readonly<Record<string, unknown>>, field?: string) =>
    resolveOptions(what, input.schema, input.defaults, given, field) as Record<string, unknown>;
  return {
    name: input.name,
    modality: input.modality,
    summary: input.summary,
    description: input.summary,
    defaults,
    schema: ordered,
    trainerDefaults: input.trainerDefaults,
    ...(input.minBatchSize ? { minBatchSize: input.minBatchSize } : {}),
    resolveOptions: resolve,
    resolve: (options) => resolve(options) as O,
    create: ({ sampleShape, options, rng }) => input.create({ sampleShape, options: resolve(options) as O, rng }),
  } as DefinedMethod<O, B>;
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
