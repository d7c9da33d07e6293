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
 * (`temperature=0.2`, `flip=true`, `sizes=[1,2]`), else stay strings.
 */
export function parseKeyValues(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
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
    out[key] = value;
  }
  return out;
}

/** Rejects option keys a method does not declare, listing the ones it does. */
export function checkKnownOptions(
  given: Record<string, unknown>,
  known: Readonly<Record<string, unknown>>,
  what: string,
): void {
  for (const key of Object.keys(given)) {
    if (!(key in known)) {
      throw new ConfigError(
        `unknown option '${key}' for ${what}; known: ${Object.keys(known).join(', ') || '(none)'}`,
        {
          field: '--option',
        },
      );
    }
  }
}
