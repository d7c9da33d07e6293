/**
 * A multilayer perceptron encoder on flattened images: dense - batch norm - ReLU per hidden
 * layer, then a linear output. Cheap on every backend; the baseline encoder for quick runs.
 */
import { ConfigError, type EncoderConfig, NetBuilder, NetEncoder, nn, type Rng, seededGlorot } from '@autodidact/core';

/** Options of `mlp`. */
export interface MlpConfig extends EncoderConfig {
  kind: 'mlp';
  /** Hidden layer widths. Default [512]. */
  hidden: number[];
}

/** Fills the defaults of an `mlp` config. */
export function mlpConfig(inputShape: number[], options: Partial<MlpConfig> = {}): MlpConfig {
  const hidden = options.hidden ?? [512];
  const outputDim = options.outputDim ?? 128;
  if (!hidden.every((h) => Number.isInteger(h) && h > 0))
    throw new ConfigError(`expected positive widths`, { field: 'hidden' });
  return { kind: 'mlp', modality: 'vision', inputShape, hidden, outputDim };
}

/** Builds an `mlp` encoder, initialised from `rng`. */
export function createMlp(config: MlpConfig, rng: Rng, prefix = 'encoder/'): NetEncoder {
  const net = new NetBuilder('mlp', prefix, config.inputShape);
  let x = net.apply('flatten', nn.flatten(), net.input());
  config.hidden.forEach((units, i) => {
    const kernelInitializer = seededGlorot(rng.seed());
    x = net.apply(`dense${i + 1}`, nn.dense({ units, useBias: false, kernelInitializer }), x);
    x = net.apply(`bn${i + 1}`, nn.batchNorm({ momentum: 0.9, epsilon: 1e-5 }), x);
    x = net.apply(`relu${i + 1}`, nn.relu(), x);
  });
  const kernelInitializer = seededGlorot(rng.seed());
  return new NetEncoder(
    config,
    net.build(net.apply('out', nn.dense({ units: config.outputDim, kernelInitializer }), x)),
  );
}
