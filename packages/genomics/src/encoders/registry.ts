import { ConfigError, type Encoder, type EncoderConfig, type Registered, Registry, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { type RcConvGruConfig, RcConvGruEncoder, rcConvGruConfig } from './rc-conv-gru.js';

/** A DNA encoder kind: how to fill its config and how to build it. */
export interface DnaEncoderSpec extends Registered {
  /** A complete config from the window shape `[length, 4]` and user options. */
  config(inputShape: number[], options?: Record<string, unknown>): EncoderConfig;
  build(config: EncoderConfig, rng: Rng, prefix?: string): Encoder<tf.Tensor>;
}

/** DNA encoders by name. */
export const encoders = new Registry<DnaEncoderSpec>('genomics encoder');

encoders.register({
  name: 'rc-conv-gru',
  description: 'conv patch encoder (2 x conv-pool, 16 bases per patch) + GRU context; strand-averaged embedding',
  config: (shape, o) => rcConvGruConfig(shape, o as Partial<RcConvGruConfig>),
  build: (c, rng, prefix) => new RcConvGruEncoder(c as RcConvGruConfig, rng, prefix),
});

/** Rebuilds an encoder from a saved config (weights are copied in afterwards by name). */
export function createEncoder(config: EncoderConfig, rng: Rng, prefix = 'encoder/'): Encoder<tf.Tensor> {
  if (config.modality !== 'genomics') {
    throw new ConfigError(`encoder config of modality '${config.modality}' given to the genomics package`, {
      field: 'modality',
    });
  }
  return encoders.get(config.kind).build(config, rng, prefix);
}
