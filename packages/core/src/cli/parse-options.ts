import { describeOptionType, type OptionSpec } from '../methods/option-schema.js';
import { ConfigError } from '../errors.js';

/** Parses a non-negative integer CLI value, naming the flag on failure. */
export function parseIntFlag(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`expected an integer >= ${min}, got '${value}'`, { field: flag });
  return n;
}

/** Parses a positive number CLI value, naming the flag on failure. */
export function parseNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(`expected a positive number, got '${value}'`, { field: flag });
  return n;
}

/**
 * `--option key=value` pairs -> an options object. Values parse as JSON when they can
 * (`temperature=0.2`, `flip=true`, `sizes=[1,2]`), else stay strings. The object has no
 * prototype, so a key like `__proto__` or `toString` is an ordinary (and then unknown) key.
 */
export function parseKeyValues(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`expected key=value, got '${pair}'`, { field: '--option' });
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * One method's options for `--help`, one line each: name, type with bounds (from the schema),
 * default and description, in columns after `indent`.
 */
export function describeMethodOptions(
  schema: Readonly<Record<string, OptionSpec>>,
  defaults: Readonly<Record<string, unknown>>,
  indent: string,
): string[] {
  const keys = Object.keys(schema);
  if (keys.length === 0) return [`${indent}(no options)`];
  const types = keys.map((k) => describeOptionType(schema[k]!));
  const values = keys.map((k) => `= ${JSON.stringify(defaults[k])}`);
  const kw = Math.max(...keys.map((k) => k.length));
  const tw = Math.max(...types.map((t) => t.length));
  const vw = Math.max(...values.map((v) => v.length));
  return keys.map(
    (k, i) => `${indent}${k.padEnd(kw)}  ${types[i]!.padEnd(tw)}  ${values[i]!.padEnd(vw)}  ${schema[k]!.description}`,
  );
}
