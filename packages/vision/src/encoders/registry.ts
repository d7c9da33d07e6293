import { ConfigError, type Encoder, type EncoderConfig, type Registered, Registry, type Rng } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { type ConvSmallConfig, convSmallConfig, createConvSmall } from './conv-small.js';
import type { NetEncoder } from '@autodidact/core';
import { createMlp, type MlpConfig, mlpConfig } from './mlp.js';
import { type PatchGridConfig, PatchGridEncoder, patchGridConfig } from './patch-grid.js';
import { createResNet, type ResNetConfig, resnetConfig } from './resnet.js';

/** An image encoder kind: how to fill its config and how to build it. */
export interface EncoderSpec extends Registered {
  /** A complete config from the image shape and user options. */
  config(inputShape: number[], options?: Record<string, unknown>): EncoderConfig;
  build(config: EncoderConfig, rng: Rng, prefix?: string): Encoder<tf.Tensor>;
}

/** An encoder kind built from tf.layers (every kind a method can train directly). */
export interface NetEncoderSpec extends EncoderSpec {
  build(config: EncoderConfig, rng: Rng, prefix?: string): NetEncoder;
}

/** Image encoders by name. */
export const encoders = new Registry<NetEncoderSpec>('vision encoder');

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

/**
 * `patch-grid` (encoders/patch-grid.ts): a patch encoder of a registered kind that embeds an image
 * as the concatenation of its tiles' embeddings; what context prediction and jigsaw train. Not a
 * tf.layers model itself, so kept beside the registry: a method cannot be given it as `encoder`.
 */
export const patchGrid: EncoderSpec = {
  name: 'patch-grid',
  description:
    'a patch encoder (option inner: conv-small, mlp, resnet18) over a centred grid of patch px tiles; concatenated tile embeddings',
  config: (shape, o = {}) => {
    const patch = Number(o.patch ?? 7);
    const channels = shape[2] ?? 1;
    const innerKind = String(o.inner ?? 'conv-small');
    const { patch: _p, inner: _i, ...innerOptions } = o;
    return patchGridConfig(shape, patch, encoders.get(innerKind).config([patch, patch, channels], innerOptions));
  },
  build: (c, rng, prefix) => {
    const config = c as PatchGridConfig;
    return new PatchGridEncoder(config, encoders.get(config.inner.kind).build(config.inner, rng, prefix));
  },
};

/** Rebuilds an encoder from a saved config (weights are copied in afterwards by name). */
export function createEncoder(config: EncoderConfig, rng: Rng, prefix = 'encoder/'): Encoder<tf.Tensor> {
  if (config.modality !== 'vision') {
    throw new ConfigError(`encoder config of modality '${config.modality}' given to the vision package`, {
      field: 'modality',
    });
  }
  if (config.kind === patchGrid.name) return patchGrid.build(config, rng, prefix);
  return encoders.get(config.kind).build(config, rng, prefix);
}
