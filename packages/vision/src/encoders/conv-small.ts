/**
 * A small convolutional encoder for 28-32 px images: `blocks` stages of
 * 3x3 conv (no bias) - batch norm - ReLU, 2x2 max-pool between stages, then global average
 * pooling. With the defaults (width 32, 3 blocks) the channels are 32-64-128 and the
 * embedding has 128 dimensions, the encoder of the speed benchmark.
 */
import { ConfigError, type EncoderConfig, type Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, LayersEncoder, seededHe } from '@autodidact/core';

/** Options of `conv-small`. */
export interface ConvSmallConfig extends EncoderConfig {
  kind: 'conv-small';
  /** Channels of the first stage; each later stage doubles it. Default 32. */
  width: number;
  /** Number of conv stages. Default 3. */
  blocks: number;
}

/** Fills the defaults of a `conv-small` config for images of `inputShape` `[h, w, c]`. */
export function convSmallConfig(inputShape: number[], options: Partial<ConvSmallConfig> = {}): ConvSmallConfig {
  const width = options.width ?? 32;
  const blocks = options.blocks ?? 3;
  if (inputShape.length !== 3) {
    throw new ConfigError(`conv-small needs images [height, width, channels], got [${inputShape.join(', ')}]`, {
      field: 'inputShape',
    });
  }
  if (!Number.isInteger(width) || width < 1)
    throw new ConfigError(`expected a positive integer, got ${width}`, { field: 'width' });
  if (!Number.isInteger(blocks) || blocks < 1 || 2 ** (blocks - 1) > Math.min(inputShape[0]!, inputShape[1]!)) {
    throw new ConfigError(`${blocks} blocks do not fit images of ${inputShape[0]}x${inputShape[1]}`, {
      field: 'blocks',
    });
  }
  return { kind: 'conv-small', modality: 'vision', inputShape, width, blocks, outputDim: width * 2 ** (blocks - 1) };
}

/** Builds a `conv-small` encoder, initialised from `rng`. */
export function createConvSmall(config: ConvSmallConfig, rng: Rng, prefix = 'encoder/'): LayersEncoder {
  const layers: tf.layers.Layer[] = [];
  for (let b = 0; b < config.blocks; b++) {
    layers.push(
      tf.layers.conv2d({
        name: `conv${b + 1}`,
        filters: config.width * 2 ** b,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: seededHe(rng.seed()),
        ...(b === 0 ? { inputShape: config.inputShape } : {}),
      }),
      batchNormalization({ name: `bn${b + 1}`, momentum: 0.9, epsilon: 1e-5 }),
      tf.layers.reLU({ name: `relu${b + 1}` }),
    );
    if (b < config.blocks - 1) layers.push(tf.layers.maxPooling2d({ name: `pool${b + 1}`, poolSize: 2, strides: 2 }));
  }
  layers.push(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  const model = tf.sequential({ name: 'conv_small', layers });
  return new LayersEncoder(config, model, prefix);
}
