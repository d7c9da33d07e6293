/**
 * The predict-the-future recipe shared by CPC and wav2vec: latent frames `z` from the conv
 * feature encoder, causal context `c` from the context network, and for each step
 * k = 1..K a step-specific affine map h_k(c_t) scored against the true `z_{t+k}` and sampled
 * distractors. CPC (cpc.ts) scores with InfoNCE and a GRU context; wav2vec (wav2vec.ts) with
 * the binary logistic loss and a causal conv context. Training clips are random crops.
 */
import {
  ConfigError,
  infoNCEFromLogits,
  initLinear,
  type LossOutput,
  linear,
  type Method,
  mergeVariables,
  type OptionsOf,
  type OptionTable,
  type ParamMap,
  type Rng,
  type StepContext,
  disposeParams,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { trainingCrop } from '../augment/random-crop.js';
import { AudioEncoder, audioEncoderConfig } from '../encoders/audio-encoder.js';
import { featureFrames } from '../encoders/conv-feature-encoder.js';
import { binaryContrastive } from '../objectives/binary-contrastive.js';
import { contrastiveAccuracy, futureLogits } from '../objectives/future-logits.js';

/**
 * The options of a predictive-coding method (CPC and wav2vec share them): type, bounds, meaning
 * and default of each; the context network, its depth and the loss are each method's own
 * defaults (cpc.ts, wav2vec.ts).
 */
export function predictiveCodingOptions(defaults: {
  context: 'gru' | 'conv';
  contextLayers: number;
  loss: 'infonce' | 'binary';
}) {
  return {
    width: { type: 'integer', default: 64, min: 1, description: 'Feature-encoder channels.' },
    contextDim: { type: 'integer', default: 64, min: 1, description: 'Context width (the embedding width).' },
    context: {
      type: 'enum',
      choices: ['gru', 'conv'],
      default: defaults.context as string,
      description: 'Context network: `gru` (CPC) or `conv` (wav2vec).',
    },
    contextLayers: {
      type: 'integer',
      default: defaults.contextLayers,
      min: 1,
      description: 'Causal conv layers of a `conv` context.',
    },
    steps: { type: 'integer', default: 8, min: 1, description: 'Future steps K predicted from each frame.' },
    negatives: { type: 'integer', default: 10, min: 1, description: 'Distractors per prediction.' },
    crossUtterance: {
      type: 'boolean',
      default: false,
      description: 'Draw distractors from the whole batch instead of the same clip.',
    },
    cropSamples: {
      type: 'integer',
      default: 9600,
      min: 0,
      description: 'Training crop in samples (0: the whole clip).',
    },
    loss: {
      type: 'enum',
      choices: ['infonce', 'binary'],
      default: defaults.loss as string,
      description: '`infonce` (CPC) or `binary` (wav2vec).',
    },
  } satisfies OptionTable;
}

/** Options of a predictive-coding method (CPC, wav2vec): the shared table's, with each method's own defaults. */
export type PredictiveCodingOptions = OptionsOf<ReturnType<typeof predictiveCodingOptions>>;

/** CPC / wav2vec: see the file header. */
export class PredictiveCoding implements Method<tf.Tensor> {
  readonly encoder: AudioEncoder;
  private readonly predictors: ParamMap = new Map();
  private readonly crop;

  constructor(
    readonly name: string,
    sampleShape: number[],
    readonly options: PredictiveCodingOptions,
    rng: Rng,
  ) {
    const o = options;
    const samples = sampleShape[0]!;
    this.encoder = new AudioEncoder(
      audioEncoderConfig(samples, {
        width: o.width,
        contextDim: o.contextDim,
        context: o.context as 'conv' | 'gru',
        contextLayers: o.contextLayers,
      }),
      rng,
    );
    const { length: cropLen, crop } = trainingCrop(o.cropSamples, samples);
    const frames = featureFrames(cropLen, this.encoder.config.kernels, this.encoder.config.strides);
    if (o.steps >= frames) {
      throw new ConfigError(`${o.steps} steps do not fit the ${frames} latent frames of a crop`, { field: 'steps' });
    }
    if (o.loss !== 'infonce' && o.loss !== 'binary') {
      throw new ConfigError(`unknown loss '${o.loss}'; known: infonce, binary`, { field: 'loss' });
    }
    this.crop = crop;
    for (let k = 1; k <= o.steps; k++) {
      initLinear(this.predictors, `predictor/step${k}`, o.contextDim, o.width, rng, 1 / Math.sqrt(o.contextDim));
    }
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), new Map(this.predictors));
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), new Map(this.predictors));
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const o = this.options;
    return tf.tidy(() => {
      const x = this.crop ? this.crop(batch as tf.Tensor2D, ctx.rng) : (batch as tf.Tensor2D);
      const z = this.encoder.encode(x, true);
      const c = this.encoder.context(z, true);
      const losses: tf.Scalar[] = [];
      const accs: tf.Scalar[] = [];
      for (let k = 1; k <= o.steps; k++) {
        const pred = linear(this.predictors, `predictor/step${k}`, c) as tf.Tensor3D;
        const logits = futureLogits(pred, z, k, { negatives: o.negatives, crossUtterance: o.crossUtterance }, ctx.rng);
        losses.push(o.loss === 'binary' ? binaryContrastive(logits) : infoNCEFromLogits(logits, 0));
        accs.push(contrastiveAccuracy(logits));
      }
      const loss = tf.div(tf.addN(losses), o.steps) as tf.Scalar;
      return { loss, metrics: { accuracy: tf.div(tf.addN(accs), o.steps) as tf.Scalar } };
    });
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    disposeParams(this.predictors);
  }
}
