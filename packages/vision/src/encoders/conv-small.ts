/**
 * A small convolutional encoder for 28-32 px images: `blocks` stages of
 * 3x3 conv (no bias) - batch norm - ReLU, 2x2 max-pool between stages, then global average
 * pooling. With the defaults (width 32, 3 blocks) the channels are 32-64-128 and the
 * embedding has 128 dimensions, the encoder of the speed benchmark.
 */
import { ConfigError, type EncoderConfig, NetBuilder, NetEncoder, nn, type Rng, seededHe } from '@autodidact/core';

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
export function createConvSmall(config: ConvSmallConfig, rng: Rng, prefix = 'encoder/'): NetEncoder {
  const net = new NetBuilder('conv_small', prefix, config.inputShape);
  let x = net.input();
  for (let b = 0; b < config.blocks; b++) {
    const kernelInitializer = seededHe(rng.seed());
    x = net.apply(
      `conv${b + 1}`,
      nn.conv2d({ filters: config.width * 2 ** b, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer }),
      x,
    );
    x = net.apply(`bn${b + 1}`, nn.batchNorm({ momentum: 0.9, epsilon: 1e-5 }), x);
    x = net.apply(`relu${b + 1}`, nn.relu(), x);
    if (b < config.blocks - 1) x = net.apply(`pool${b + 1}`, nn.maxPool2d(2, 2), x);
  }
  return new NetEncoder(config, net.build(net.apply('gap', nn.globalAveragePool2d(), x)));
}
