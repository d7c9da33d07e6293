/**
 * Contrastive Predictive Coding on audio (van den Oord, Li & Vinyals 2018, "Representation
 * Learning with Contrastive Predictive Coding", sec. 2 and 3.1): strided conv encoder, GRU
 * context, a linear prediction W_k c_t per future step k = 1..K, InfoNCE against distractors
 * from the same clip. The paper's audio setup (512-d encoder, 256-d GRU, K = 12, 20480-sample
 * crops) is scaled down for CPU; the package's baseline for wav2vec and wav2vec 2.0.
 */
import { type Rng, type OptionSchema, resolveOptions } from '@autodidact/core';
import { PREDICTIVE_CODING_SCHEMA, PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';

/** CPC defaults (documented in docs/methods/cpc-audio.md). */
export const CPC_DEFAULTS: PredictiveCodingOptions = {
  width: 64,
  contextDim: 64,
  context: 'gru',
  contextLayers: 1,
  steps: 8,
  negatives: 10,
  crossUtterance: false,
  cropSamples: 9600,
  loss: 'infonce',
};

/** Type, bounds and meaning of each option of {@link CPC_DEFAULTS}: the shared predictive-coding schema. */
export const CPC_SCHEMA: OptionSchema<typeof CPC_DEFAULTS> = PREDICTIVE_CODING_SCHEMA;

/** A CPC method for clips of `sampleShape = [samples]`. */
export function createCpc(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding('cpc', sampleShape, resolveOptions('cpc', CPC_SCHEMA, CPC_DEFAULTS, options), rng);
}
