import { ConfigError, type Rng } from '@autodidact/core';
import { RcConvGruEncoder, rcConvGruConfig } from '../encoders/rc-conv-gru.js';

/**
 * Merges user options over a method's defaults, checking each given value has the type of its
 * default (numbers, booleans, strings). An unknown key or a wrong type is a ConfigError naming
 * the method and the option.
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
    if (typeof value !== typeof defaults[key]) {
      throw new ConfigError(`${method} expects a ${typeof defaults[key]}, got ${JSON.stringify(value)}`, {
        field: key,
      });
    }
    out[key] = value;
  }
  return out as T;
}

/** Encoder options every DNA method takes (see rc-conv-gru.ts). */
export const DNA_ENCODER_DEFAULTS = {
  /** Conv channels (patch latent width). */
  width: 64,
  /** First conv kernel, bases. */
  kernelSize: 9,
  /** Bases per patch (a square: two equal max-pools). */
  patchLength: 16,
  /** GRU context units. */
  hidden: 64,
  /** Strand-averaged embedding. */
  rcInvariant: true,
};

/** Builds the rc-conv-gru encoder from a method's options. */
export function buildEncoder(o: typeof DNA_ENCODER_DEFAULTS, sampleShape: number[], rng: Rng): RcConvGruEncoder {
  const config = rcConvGruConfig(sampleShape, {
    width: o.width,
    kernelSize: o.kernelSize,
    patchLength: o.patchLength,
    hidden: o.hidden,
    rcInvariant: o.rcInvariant,
  });
  return new RcConvGruEncoder(config, rng);
}
