/**
 * A ResNet-18-style encoder (He et al. 2016) for 28-96 px images: four stages of two
 * BasicBlocks (3x3 conv - BN - ReLU - 3x3 conv - BN, plus the identity or a 1x1 conv - BN
 * projection shortcut, then ReLU) with `width`, 2w, 4w, 8w channels (strides 1, 2, 2, 2),
 * global average pooling, output `8 * width` dimensions (512 at the default width 64, as
 * torchvision's `resnet18` without its classifier). The stem is a 3x3 stride-1 conv without
 * max-pool for small inputs (the CIFAR variant SimCLR and solo-learn use below 64 px), or
 * ImageNet's 7x7 stride-2 conv and 3x3 stride-2 max-pool.
 *
 * Strided convolutions pad explicitly and symmetrically (zero padding layers and 'valid' convs)
 * so they see the same windows as PyTorch's `padding=1` (stride-1 ones use 'same', which is that
 * padding already), which makes the network
 * weight-compatible with a torch BasicBlock ResNet (kernels transposed to `[kh, kw, in, out]`).
 * Variable names: `encoder/conv1/kernel`, `encoder/bn1/gamma`, `encoder/layer2_0_conv1/kernel`,
 * `encoder/layer2_0_downsample_bn/moving_mean`, ...
 */
import {
  ConfigError,
  type EncoderConfig,
  NetBuilder,
  NetEncoder,
  type NetTensor,
  nn,
  type Rng,
  seededHe,
} from '@autodidact/core';

/** Stem of the ResNet: `small` (3x3 conv, stride 1, no pooling) or `imagenet` (7x7/2 conv + 3x3/2 max-pool). */
export type ResNetStem = 'small' | 'imagenet';

/** Options of `resnet18`. */
export interface ResNetConfig extends EncoderConfig {
  kind: 'resnet18';
  /** Channels of the first stage; the stages have width, 2w, 4w, 8w. Default 64. */
  width: number;
  /** Stem. Default: `small` for inputs under 64 px on their shorter side, `imagenet` otherwise. */
  stem: ResNetStem;
  /** BasicBlocks per stage. Default [2, 2, 2, 2] (ResNet-18). */
  blocks: number[];
}

/** Fills the defaults of a `resnet18` config for images of `inputShape` `[h, w, c]`. */
export function resnetConfig(inputShape: number[], options: Partial<ResNetConfig> = {}): ResNetConfig {
  if (inputShape.length !== 3) {
    throw new ConfigError(`resnet18 needs images [height, width, channels], got [${inputShape.join(', ')}]`, {
      field: 'inputShape',
    });
  }
  const width = options.width ?? 64;
  if (!Number.isInteger(width) || width < 1) {
    throw new ConfigError(`expected a positive integer, got ${width}`, { field: 'width' });
  }
  const side = Math.min(inputShape[0]!, inputShape[1]!);
  const stem = options.stem ?? (side < 64 ? 'small' : 'imagenet');
  if (stem !== 'small' && stem !== 'imagenet') {
    throw new ConfigError(`expected 'small' or 'imagenet', got '${String(stem)}'`, { field: 'stem' });
  }
  const blocks = options.blocks ?? [2, 2, 2, 2];
  if (blocks.length !== 4 || !blocks.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new ConfigError(`expected four positive block counts, got [${blocks.join(', ')}]`, { field: 'blocks' });
  }
  const minSide = stem === 'imagenet' ? 32 : 8;
  if (side < minSide) {
    throw new ConfigError(`the ${stem} stem needs images of at least ${minSide} px, got ${side}`, {
      field: 'inputShape',
    });
  }
  return { kind: 'resnet18', modality: 'vision', inputShape, width, stem, blocks, outputDim: 8 * width };
}

type Builder = InstanceType<typeof NetBuilder>;

/**
 * A 3x3 (or `k` x `k`) conv with symmetric zero padding `pad` and no bias. At stride 1 with
 * `pad = (k - 1) / 2` that is tfjs's 'same' padding (no padding layer: one pass less over the
 * activation each way); strided convs pad explicitly (PyTorch's windows, not TensorFlow's).
 */
function conv(
  net: Builder,
  x: NetTensor,
  name: string,
  filters: number,
  k: number,
  stride: number,
  pad: number,
  rng: Rng,
): NetTensor {
  const same = stride === 1 && 2 * pad === k - 1;
  const padded = pad > 0 && !same ? net.apply(`${name}_pad`, nn.zeroPad2d(pad), x) : x;
  const layer = nn.conv2d({
    filters,
    kernelSize: k,
    strides: stride,
    padding: same ? 'same' : 'valid',
    useBias: false,
    kernelInitializer: seededHe(rng.seed()),
  });
  return net.apply(name, layer, padded);
}

/** Batch norm with PyTorch's defaults (momentum 0.1 there, 0.9 here; eps 1e-5). */
function bn(net: Builder, x: NetTensor, name: string): NetTensor {
  return net.apply(name, nn.batchNorm({ momentum: 0.9, epsilon: 1e-5 }), x);
}

/**
 * One BasicBlock. `x`: [batch, h, w, inC] -> [batch, h/stride, w/stride, filters]. The layers
 * are made in the order tf.layers listed them (both convs, then both batch norms), which is the
 * order of the variables the optimizer walks and checkpoints of earlier versions list.
 */
function basicBlock(net: Builder, x: NetTensor, name: string, filters: number, stride: number, rng: Rng): NetTensor {
  const inC = x.shape[2]!;
  let y = net.apply(
    `${name}_relu1`,
    nn.relu(),
    bn(net, conv(net, x, `${name}_conv1`, filters, 3, stride, 1, rng), `${name}_bn1`),
  );
  y = conv(net, y, `${name}_conv2`, filters, 3, 1, 1, rng);
  const project = stride !== 1 || inC !== filters;
  let shortcut = project ? conv(net, x, `${name}_downsample_conv`, filters, 1, stride, 0, rng) : x;
  y = bn(net, y, `${name}_bn2`);
  if (project) shortcut = bn(net, shortcut, `${name}_downsample_bn`);
  return net.apply(`${name}_relu2`, nn.relu(), net.apply(`${name}_add`, nn.add(), [y, shortcut]));
}

/** Builds a `resnet18` encoder, initialised from `rng`. Output `[batch, 8 * width]`. */
export function createResNet(config: ResNetConfig, rng: Rng, prefix = 'encoder/'): NetEncoder {
  const net = new NetBuilder('resnet18', prefix, config.inputShape); // [batch, h, w, c]
  let x: NetTensor;
  if (config.stem === 'imagenet') {
    x = net.apply('relu1', nn.relu(), bn(net, conv(net, net.input(), 'conv1', config.width, 7, 2, 3, rng), 'bn1'));
    // zero padding equals PyTorch's -inf padding here: the input of the pool is non-negative
    x = net.apply('maxpool_pad', nn.zeroPad2d(1), x);
    x = net.apply('maxpool', nn.maxPool2d(3, 2, 'valid'), x);
  } else {
    x = net.apply('relu1', nn.relu(), bn(net, conv(net, net.input(), 'conv1', config.width, 3, 1, 1, rng), 'bn1'));
  }
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < config.blocks[s]!; b++) {
      x = basicBlock(net, x, `layer${s + 1}_${b}`, config.width * 2 ** s, s > 0 && b === 0 ? 2 : 1, rng);
    }
  }
  return new NetEncoder(config, net.build(net.apply('gap', nn.globalAveragePool2d(), x))); // [batch, 8w]
}
