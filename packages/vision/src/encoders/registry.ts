import { ConfigError, type EncoderConfig, type Registered, Registry, type Rng } from '@autodidact/core';
import { type ConvSmallConfig, convSmallConfig, createConvSmall } from './conv-small.js';
import type { LayersEncoder } from '@autodidact/core';
import { createMlp, type MlpConfig, mlpConfig } from './mlp.js';
import { createResNet, type ResNetConfig, resnetConfig } from './resnet.js';

/** An image encoder kind: how to fill its config and how to build it. */
export interface EncoderSpec extends Registered {
  /** A complete config from the image shape and user options. */
  config(inputShape: number[], options?: Record<string, unknown>): EncoderConfig;
  build(config: EncoderConfig, rng: Rng, prefix?: string): LayersEncoder;
}

/** Image encoders by name. */
export const encoders = new Registry<EncoderSpec>('vision encoder');

encoders.register({
  name: 'conv-small',
  description: '3x3 conv - BN - ReLU stages (32-64-128), max-pool, global average pool; 128-d',
  config: (shape, o) => convSmallConfig(shape, o as Partial<ConvSmallConfig>),
  build: (c, rng, prefix) => createConvSmall(c as ConvSmallConfig, rng, prefix),
});
encoders.register({
  name: 'mlp',
  description: 'flatten - dense 512 - BN - ReLU - dense 128',
  config: (shape, o) => mlpConfig(shape, o as Partial<MlpConfig>),
  build: (c, rng, prefix) => createMlp(c as MlpConfig, rng, prefix),
});

encoders.register({
  name: 'resnet18',
  description:
    'ResNet-18-style BasicBlocks [2,2,2,2], widths w-2w-4w-8w (option width, default 64), BN, global average pool; 8w-d',
  config: (shape, o) => resnetConfig(shape, o as Partial<ResNetConfig>),
  build: (c, rng, prefix) => createResNet(c as ResNetConfig, rng, prefix),
});

/** Rebuilds an encoder from a saved config (weights are copied in afterwards by name). */
export function createEncoder(config: EncoderConfig, rng: Rng, prefix = 'encoder/'): LayersEncoder {
  if (config.modality !== 'vision') {
    throw new ConfigError(`encoder config of modality '${config.modality}' given to the vision package`, {
      field: 'modality',
    });
  }
  return encoders.get(config.kind).build(config, rng, prefix);
}
