/**
 * The one description of a method's options: each option's type, bounds and one-line meaning.
 * The method's constructor, the registries, `autodidact pretrain --option` and `--help` and the
 * docs pages' option tables all read the same schema, so a value is accepted or refused by the
 * same rule wherever it comes from.
 */
import { ConfigError } from '../errors.js';

/** Value kinds an option can take. `enum` takes one of `choices`; `array` a list of `items`. */
export type OptionType = 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'array';

/** One option: its type, bounds and what it does. */
export interface OptionSpec {
  readonly type: OptionType;
  /** One line for `--help` and the docs pages. */
  readonly description: string;
  /** Smallest value accepted, inclusive (`number`, `integer`, and the items of an `array`). */
  readonly min?: number;
  /** Largest value accepted, inclusive. */
  readonly max?: number;
  /** Values must be above this (exclusive lower bound), e.g. 0 for a temperature. */
  readonly above?: number;
  /** Values must be below this (exclusive upper bound), e.g. 1 for a momentum. */
  readonly below?: number;
  /** The values an `enum` accepts. */
  readonly choices?: readonly string[];
  /** The type of an `array`'s items. */
  readonly items?: 'number' | 'integer' | 'string';
  /** The exact length of an `array` (a pair: 2); absent when any length is accepted. */
  readonly length?: number;
}

/** A schema for the options `D`: exactly one {@link OptionSpec} per key of the defaults. */
export type OptionSchema<D> = { readonly [K in keyof D]-?: OptionSpec };

/** One option as a method declares it: its type, bounds and meaning, and its default value. */
export interface OptionEntry<T = unknown> extends OptionSpec {
  readonly default: T;
}

/**
 * A method's options, each declared once with its default beside its type, bounds and meaning
 * (`{ rho: { type: 'number', default: 20, min: 0, description: '...' } }`). Tables compose by
 * spreading (`{ ...TWO_VIEW_OPTIONS, rho: ... }`); {@link optionDefaults} and
 * {@link optionSchema} split one into the defaults and the schema.
 */
export type OptionTable = Readonly<Record<string, OptionEntry>>;

/** The option values a table describes: each key with its default's type. */
export type OptionsOf<E extends OptionTable> = { -readonly [K in keyof E]: E[K]['default'] };

/** The default of every option of `table`, in its order. */
export function optionDefaults<E extends OptionTable>(table: E): OptionsOf<E> {
  return Object.fromEntries(Object.entries(table).map(([k, e]) => [k, e.default])) as OptionsOf<E>;
}

/** The {@link OptionSpec} of every option of `table` (its default left out), in its order. */
export function optionSchema<E extends OptionTable>(table: E): OptionSchema<OptionsOf<E>> {
  return Object.fromEntries(
    Object.entries(table).map(([k, { default: _default, ...spec }]) => [k, spec]),
  ) as unknown as OptionSchema<OptionsOf<E>>;
}

/** The expectation an option states, as `--help` and error messages spell it (`number > 0`, `integer in [1, 8]`). */
export function describeOptionType(spec: OptionSpec): string {
  if (spec.type === 'enum') return `one of ${(spec.choices ?? []).join(', ')}`;
  if (spec.type === 'array') {
    const item = `${spec.items ?? 'number'}${bounds(spec)}`;
    return spec.length !== undefined ? `${spec.length} x ${item}` : `list of ${item}`;
  }
  return `${spec.type}${bounds(spec)}`;
}

function bounds(spec: OptionSpec): string {
  const lower = spec.min !== undefined ? `>= ${spec.min}` : spec.above !== undefined ? `> ${spec.above}` : undefined;
  const upper = spec.max !== undefined ? `<= ${spec.max}` : spec.below !== undefined ? `< ${spec.below}` : undefined;
  if (spec.min !== undefined && spec.max !== undefined) return ` in [${spec.min}, ${spec.max}]`;
  return [lower, upper]
    .filter((b) => b !== undefined)
    .map((b) => ` ${b}`)
    .join(',');
}

function inBounds(spec: OptionSpec, x: number): boolean {
  if (spec.min !== undefined && x < spec.min) return false;
  if (spec.max !== undefined && x > spec.max) return false;
  if (spec.above !== undefined && !(x > spec.above)) return false;
  if (spec.below !== undefined && !(x < spec.below)) return false;
  return true;
}

function scalarOk(type: 'number' | 'integer' | 'string', spec: OptionSpec, value: unknown): boolean {
  if (type === 'string') return typeof value === 'string';
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (type === 'integer' && !Number.isInteger(value)) return false;
  return inBounds(spec, value);
}

/** Whether `value` satisfies `spec`. */
export function optionValueOk(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && (spec.choices ?? []).includes(value);
    case 'array': {
      if (!Array.isArray(value)) return false;
      if (spec.length !== undefined && value.length !== spec.length) return false;
      const items = spec.items ?? 'number';
      return value.every((v) => scalarOk(items, spec, v));
    }
    default:
      return scalarOk(spec.type, spec, value);
  }
}

/**
 * Checks one option against its spec; a ConfigError naming the option, the expectation and the
 * value otherwise. `what` names the method in the message; the error's field is `field`
 * (default: the option's name; the CLI passes `--option`).
 */
export function checkOption(what: string, key: string, spec: OptionSpec, value: unknown, field = key): void {
  if (!optionValueOk(spec, value)) {
    const subject = field === key ? what : `option '${key}' of ${what}`;
    throw new ConfigError(`${subject} expects ${describeOptionType(spec)}, got ${JSON.stringify(value)}`, { field });
  }
}

/**
 * Merges `given` options over `defaults`, checking each given value against `schema`: an
 * unknown key (inherited names such as `toString` included) or a value of the wrong type or
 * out of bounds is a one-line ConfigError naming the option and what it expects. A key given
 * as `undefined` keeps its default. The errors' field is `field` (default: the option's name).
 */
export function resolveOptions<D extends object>(
  what: string,
  schema: OptionSchema<D>,
  defaults: D,
  given: Readonly<Record<string, unknown>>,
  field?: string,
): D {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const specs = schema as Readonly<Record<string, OptionSpec>>;
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(specs, key)) {
      throw new ConfigError(
        `unknown option '${key}' for ${what}; known: ${Object.keys(specs).join(', ') || '(none)'}`,
        {
          field: field ?? key,
        },
      );
    }
    if (value === undefined) continue;
    checkOption(what, key, specs[key]!, value, field ?? key);
    out[key] = value;
  }
  return out as D;
}
