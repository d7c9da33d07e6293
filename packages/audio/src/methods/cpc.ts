/**
 * Contrastive Predictive Coding on audio (van den Oord, Li & Vinyals 2018, "Representation
 * Learning with Contrastive Predictive Coding", sec. 2 and 3.1): strided conv encoder, GRU
 * context, a linear prediction W_k c_t per future step k = 1..K, InfoNCE against distractors
 * from the same clip. The paper's audio setup (512-d encoder, 256-d GRU, K = 12, 20480-sample
 * crops) is scaled down for CPU; the package's baseline for wav2vec and wav2vec 2.0.
 */
import { type Rng, type OptionSchema, resolveOptions } from '@autodidact/core';
import { PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';

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

/** Type, bounds and meaning of each option of {@link CPC_DEFAULTS}. */
export const CPC_SCHEMA: OptionSchema<typeof CPC_DEFAULTS> = {
  width: { type: 'integer', min: 1, description: 'Feature-encoder channels.' },
  contextDim: { type: 'integer', min: 1, description: 'Context width (the embedding width).' },
  context: { type: 'enum', choices: ['gru', 'conv'], description: 'Context network: `gru` (CPC) or `conv` (wav2vec).' },
  contextLayers: { type: 'integer', min: 1, description: 'Causal conv layers of a `conv` context.' },
  steps: { type: 'integer', min: 1, description: 'Future steps K predicted from each frame.' },
  negatives: { type: 'integer', min: 1, description: 'Distractors per prediction.' },
  crossUtterance: { type: 'boolean', description: 'Draw distractors from the whole batch instead of the same clip.' },
  cropSamples: { type: 'integer', min: 0, description: 'Training crop in samples (0: the whole clip).' },
  loss: { type: 'enum', choices: ['infonce', 'binary'], description: '`infonce` (CPC) or `binary` (wav2vec).' },
};

/** A CPC method for clips of `sampleShape = [samples]`. */
export function createCpc(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding('cpc', sampleShape, resolveOptions('cpc', CPC_SCHEMA, CPC_DEFAULTS, options), rng);
}
