import type * as tf from '@tensorflow/tfjs';
import type { VariableOwner } from '../nn/variable-owner.js';

/** Plain JSON, enough to rebuild an encoder of the same architecture. */
export interface EncoderConfig {
  /** Registered encoder kind, e.g. `conv-small`, `resnet18`, `wav2vec-feature`. */
  kind: string;
  /** Modality package that owns the kind (`vision`, `audio`, ...). */
  modality: string;
  /** Embedding width the encoder outputs. */
  outputDim: number;
  /** Input shape of one sample, without the batch axis. */
  inputShape: number[];
  [option: string]: unknown;
}

/**
 * Data batch -> embedding `[batch, dim]`. Owns its variables; nothing else creates them.
 * Variable names are stable across processes (`encoder/conv1/kernel`), so checkpoints
 * restore by name, not by creation order.
 */
export interface Encoder<B = tf.Tensor> extends VariableOwner {
  readonly config: EncoderConfig;
  /** Embedding of a batch, `[batch, outputDim]`. `training` switches batch-norm and dropout. */
  apply(batch: B, training: boolean): tf.Tensor2D;
}
