/**
 * What the DNA methods share: the rc-conv-gru encoder built from the method's options, the
 * predictors or head each trains beside it, and the encoder's embedding as the method's own.
 * A method brings its definition (name, options, smallest batch), its heads and its loss.
 */
import {
  type BatchSizeMinimum,
  type DefinedMethod,
  type LossOutput,
  type Method,
  mergeVariables,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import type { RcConvGruEncoder } from '../encoders/rc-conv-gru.js';
import { buildEncoder, type DnaEncoderOptions } from './options.js';

/** What a DNA method trains beside the encoder (a {@link LinearMap}, {@link PatchPredictors}). */
export interface DnaHeads {
  /** Its variables by checkpoint name. */
  variables(): Map<string, tf.Variable>;
  dispose(): void;
}

/**
 * A DNA method over the rc-conv-gru encoder: it trains the encoder and `heads`, checkpoints
 * both, and embeds with the encoder (strand-averaged when `rcInvariant`).
 */
export abstract class DnaEncoderMethod<O extends DnaEncoderOptions, H extends DnaHeads> implements Method<tf.Tensor> {
  /** The method's name (its definition's). */
  readonly name: string;
  /** Smallest batch the method learns from (its definition's). */
  readonly minBatchSize?: BatchSizeMinimum;
  /** The options: those given, checked and merged over the definition's defaults. */
  readonly options: O;
  readonly encoder: RcConvGruEncoder;
  /** What the method trains beside the encoder (built after it, from the same rng). */
  protected readonly heads: H;

  /** Resolves `given` by `definition`, builds the encoder from the options, then the heads with `buildHeads(options)`. */
  protected constructor(
    definition: DefinedMethod<O>,
    given: Partial<O>,
    sampleShape: number[],
    rng: Rng,
    buildHeads: (o: O) => H,
  ) {
    this.name = definition.name;
    if (definition.minBatchSize) this.minBatchSize = definition.minBatchSize;
    const options = definition.resolve(given);
    this.options = options;
    this.encoder = buildEncoder(options, sampleShape, rng);
    this.heads = buildHeads(options);
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.trainableVariables(), this.heads.variables());
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(this.encoder.allVariables(), this.heads.variables());
  }

  abstract computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput;

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.heads.dispose();
  }
}
