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
 * Rejects option keys a method does not declare as its own (inherited names such as
 * `toString` or `constructor` are not options), listing the ones it does.
 */
export function checkKnownOptions(
  given: Record<string, unknown>,
  known: Readonly<Record<string, unknown>>,
  what: string,
): void {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(known, key)) {
      throw new ConfigError(
        `unknown option '${key}' for ${what}; known: ${Object.keys(known).join(', ') || '(none)'}`,
        {
          field: '--option',
        },
      );
    }
  }
}

/**
 * The type of an option, derived from its default: `number`, `boolean`, `string`,
 * `number[2]` for a pair, `object`; `any` when the default is unset.
 */
export function optionType(value: unknown): string {
  if (value === undefined || value === null) return 'any';
  if (Array.isArray(value)) {
    const inner = value.length > 0 ? optionType(value[0]) : 'any';
    return `${inner}[${value.length}]`;
  }
  return typeof value;
}

/**
 * One method's options for `--help`: `key <type> = default` entries, wrapped to `width` columns
 * after `indent`.
 */
export function describeMethodOptions(
  defaults: Readonly<Record<string, unknown>>,
  indent: string,
  width = 100,
): string[] {
  const items = Object.keys(defaults).map((k) => {
    const d = defaults[k];
    return `${k} <${optionType(d)}> = ${d === undefined ? '(unset)' : JSON.stringify(d)}`;
  });
  if (items.length === 0) return [`${indent}(no options)`];
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (line !== '' && indent.length + next.length > width) {
      lines.push(`${indent}${line},`);
      line = item;
    } else line = next;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}
