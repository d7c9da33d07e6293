/**
 * Autoencoder (Hinton & Salakhutdinov 2006), optionally denoising (Vincent et al. 2008): the
 * encoder maps an image to an embedding, a decoder maps it back, and the loss is the
 * reconstruction error of the clean image (binary cross-entropy on logits, or MSE). With
 * `noise` > 0 or `maskRatio` > 0 the encoder sees a corrupted input. With `maskPatch` > 1 whole
 * squares are hidden, the masked-autoencoding setting (registered as `mae`; He et al. 2022,
 * "Masked Autoencoders Are Scalable Vision Learners", whose ViT encoder drops the masked
 * patches; a conv encoder sees them as zeros, as in context encoders, Pathak et al. 2016). The
 * loss covers the whole image, not only the masked part.
 */
import {
  ConfigError,
  type LossOutput,
  type Method,
  reconstruction,
  type Rng,
  type StepContext,
  type NetEncoder,
  type Net,
  NetBuilder,
  NetModule,
  nn,
  seededGlorot,
  mergeVariables,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { buildEncoder, WIDE_IMAGE_ENCODER_OPTIONS, visionMethod } from './view-options.js';

/** The autoencoder's options: type, bounds, meaning and default of each (docs/methods/autoencoder.md). */
export const AUTOENCODER_OPTIONS = {
  ...WIDE_IMAGE_ENCODER_OPTIONS,
  loss: { type: 'enum', choices: ['bce', 'mse'], default: 'bce', description: '`bce` (pixels in [0, 1]) or `mse`.' },
  noise: {
    type: 'number',
    default: 0.2,
    min: 0,
    description: "Std of Gaussian noise added to the encoder's input (denoising).",
  },
  maskRatio: {
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    description: 'Fraction of the input zeroed (masking): of pixels, or of `maskPatch`-sided squares.',
  },
  maskPatch: {
    type: 'integer',
    default: 1,
    min: 1,
    description: 'Side of the masked squares (1: single pixels; 4 or 7: patch-wise, as a masked autoencoder).',
  },
  decoder: {
    type: 'enum',
    choices: ['conv', 'dense'],
    default: 'conv',
    description: '`conv` (transposed convolutions; needs sides divisible by 4) or `dense`.',
  },
} satisfies OptionTable;
/** Options of {@link Autoencoder}. */
export type AutoencoderOptions = OptionsOf<typeof AUTOENCODER_OPTIONS>;

/**
 * The masked autoencoder's options (docs/methods/mae.md): the autoencoder's, with defaults that
 * hide a quarter-to-half of the image in 4x4 squares, no noise.
 */
export const MASKED_AUTOENCODER_OPTIONS = {
  ...AUTOENCODER_OPTIONS,
  noise: { ...AUTOENCODER_OPTIONS.noise, default: 0 },
  maskRatio: { ...AUTOENCODER_OPTIONS.maskRatio, default: 0.5 },
  maskPatch: { ...AUTOENCODER_OPTIONS.maskPatch, default: 4 },
} satisfies OptionTable;

/** `--method autoencoder`. */
export const AUTOENCODER_METHOD = visionMethod({
  name: 'autoencoder',
  summary: 'denoising autoencoder: reconstruct the clean image (Vincent et al. 2008)',
  options: AUTOENCODER_OPTIONS,
  create: ({ sampleShape, options, rng }) => new Autoencoder(sampleShape, options, rng),
});

/** `--method mae`. */
export const MASKED_AUTOENCODER_METHOD = visionMethod({
  name: 'mae',
  summary: 'masked autoencoder: reconstruct images with half their 4x4 squares hidden (He et al. 2022)',
  options: MASKED_AUTOENCODER_OPTIONS,
  create: ({ sampleShape, options, rng }) => new Autoencoder(sampleShape, options, rng, true),
});

/** Decoder: dense to a quarter-resolution map, two stride-2 transposed convs (or dense, if the size is not divisible by 4). */
function buildDecoder(dim: number, shape: number[], kind: string, rng: Rng): Net {
  const [h, w, c] = shape as [number, number, number];
  const seed = () => seededGlorot(rng.seed());
  const net = new NetBuilder('decoder', 'decoder/', [dim]);
  if (kind === 'conv' && h % 4 === 0 && w % 4 === 0) {
    let x = net.apply('dense', nn.dense({ units: (h / 4) * (w / 4) * 32, kernelInitializer: seed() }), net.input());
    x = net.apply('relu0', nn.relu(), x);
    x = net.apply('reshape', nn.reshape([h / 4, w / 4, 32]), x);
    const deconv = (filters: number) =>
      nn.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: seed() });
    x = net.apply('deconv1', deconv(32), x);
    x = net.apply('relu1', nn.relu(), x);
    return net.build(net.apply('deconv2', deconv(c), x));
  }
  let x = net.apply('dense', nn.dense({ units: 512, activation: 'relu', kernelInitializer: seed() }), net.input());
  x = net.apply('out', nn.dense({ units: h * w * c, kernelInitializer: seed() }), x);
  return net.build(net.apply('reshape', nn.reshape([h, w, c]), x));
}

/**
 * A keep-mask `[n, h, w, 1]` (1 keep, 0 masked) that hides each `patch` x `patch` square of a
 * grid independently with probability `ratio` (squares at the right and bottom edges may be
 * cut short). patch = 1 masks single pixels.
 */
export function patchMask(n: number, h: number, w: number, patch: number, ratio: number, rng: Rng): tf.Tensor4D {
  const gh = Math.ceil(h / patch);
  const gw = Math.ceil(w / patch);
  const keep = new Float32Array(n * h * w);
  const cells = new Uint8Array(gh * gw);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < cells.length; c++) cells[c] = rng.next() < ratio ? 0 : 1;
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / patch) * gw;
      for (let x = 0; x < w; x++) keep[(i * h + y) * w + x] = cells[row + Math.floor(x / patch)]!;
    }
  }
  return tf.tensor4d(keep, [n, h, w, 1]);
}

export class Autoencoder implements Method<tf.Tensor> {
  readonly name: string;
  readonly options: AutoencoderOptions;
  readonly encoder: NetEncoder;
  readonly decoder: NetModule;
  private readonly objective;

  /**
   * @param masked registered as `mae`, with the masked autoencoder's defaults
   * ({@link MASKED_AUTOENCODER_METHOD}); otherwise `autoencoder` ({@link AUTOENCODER_METHOD}).
   */
  constructor(sampleShape: number[], options: Partial<AutoencoderOptions>, rng: Rng, masked = false) {
    const definition = masked ? MASKED_AUTOENCODER_METHOD : AUTOENCODER_METHOD;
    this.name = definition.name;
    this.options = definition.resolve(options);
    if (!(Number.isInteger(this.options.maskPatch) && this.options.maskPatch >= 1)) {
      throw new ConfigError(`expected an integer >= 1, got ${this.options.maskPatch}`, { field: 'maskPatch' });
    }
    if (!(this.options.maskRatio >= 0 && this.options.maskRatio < 1)) {
      throw new ConfigError(`expected a fraction in [0, 1), got ${this.options.maskRatio}`, { field: 'maskRatio' });
    }
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    this.decoder = new NetModule(buildDecoder(this.encoder.config.outputDim, sampleShape, o.decoder, rng));
    this.objective = reconstruction({ kind: o.loss === 'mse' ? 'mse' : 'bce' });
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.decoder.trainableVariables());
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.decoder.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const { noise, maskRatio, maskPatch } = this.options;
    let input = batch;
    if (noise > 0) input = tf.add(input, tf.randomNormal(batch.shape, 0, noise, 'float32', ctx.rng.seed()));
    if (maskRatio > 0) {
      const [n, h, w] = batch.shape as [number, number, number, number];
      input = tf.mul(input, patchMask(n, h, w, maskPatch, maskRatio, ctx.rng));
    }
    const out = this.decoder.net.apply(this.encoder.apply(input, true), true);
    const prediction = this.options.loss === 'mse' ? tf.sigmoid(out) : out;
    return { loss: this.objective.compute({ prediction, target: batch }) };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
