import type { Rng, OptionSchema } from '@autodidact/core';
import { RcConvGruEncoder, rcConvGruConfig } from '../encoders/rc-conv-gru.js';

/** Encoder options every DNA method takes (see rc-conv-gru.ts). */
export const DNA_ENCODER_DEFAULTS = {
  width: 64,
  kernelSize: 9,
  patchLength: 16,
  hidden: 64,
  rcInvariant: true,
};

/** Type, bounds and meaning of each option of {@link DNA_ENCODER_DEFAULTS}. */
export const DNA_ENCODER_SCHEMA: OptionSchema<typeof DNA_ENCODER_DEFAULTS> = {
  width: { type: 'integer', min: 1, description: 'Conv channels (patch latent width).' },
  kernelSize: { type: 'integer', min: 1, description: 'First conv kernel, bases.' },
  patchLength: { type: 'integer', min: 1, description: 'Bases per patch (a square: two equal max-pools).' },
  hidden: { type: 'integer', min: 1, description: 'GRU context units.' },
  rcInvariant: { type: 'boolean', description: 'Strand-averaged embedding.' },
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
