import { ConfigError } from '@autodidact/core';

/**
 * Merges user options over a method's defaults, checking each given value has the type of its
 * default (numbers, booleans, strings, number pairs). An unknown key or a wrong type is a
 * ConfigError naming the method and the option.
 */
export function resolveOptions<T extends Record<string, unknown>>(
  method: string,
  defaults: T,
  given: Record<string, unknown>,
): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new ConfigError(`unknown option for ${method}; known: ${Object.keys(defaults).join(', ')}`, { field: key });
    }
    const d = defaults[key];
    const ok = Array.isArray(d)
      ? Array.isArray(value) && value.length === d.length && value.every((v) => typeof v === typeof d[0])
      : typeof value === typeof d;
    if (!ok)
      throw new ConfigError(`${method} expects ${JSON.stringify(d)}-like, got ${JSON.stringify(value)}`, {
        field: key,
      });
    out[key] = value;
  }
  return out as T;
}
