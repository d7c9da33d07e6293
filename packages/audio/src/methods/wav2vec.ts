/**
 * wav2vec (Schneider, Baevski, Collobert & Auli 2019, "wav2vec: Unsupervised Pre-training for
 * Speech Recognition"): a five-layer strided conv encoder to latents z, a causal conv context
 * network to c, and for each step k = 1..K an affine h_k(c_t) trained to tell the true
 * z_{t+k} from distractors drawn from the same clip with the binary logistic loss of eq. 1
 * (`loss: 'infonce'` switches to the softmax form). Published: 512 channels, 9 context layers,
 * K = 12, 10 distractors; scaled down for CPU.
 */
import { type Rng, type OptionSchema, resolveOptions } from '@autodidact/core';
import { PREDICTIVE_CODING_SCHEMA, PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';

/** wav2vec defaults (documented in docs/methods/wav2vec.md). */
export const WAV2VEC_DEFAULTS: PredictiveCodingOptions = {
  width: 64,
  contextDim: 64,
  context: 'conv',
  contextLayers: 3,
  steps: 8,
  negatives: 10,
  crossUtterance: false,
  cropSamples: 9600,
  loss: 'binary',
};

/** Type, bounds and meaning of each option of {@link WAV2VEC_DEFAULTS}: the shared predictive-coding schema. */
export const WAV2VEC_SCHEMA: OptionSchema<typeof WAV2VEC_DEFAULTS> = PREDICTIVE_CODING_SCHEMA;

/** A wav2vec method for clips of `sampleShape = [samples]`. */
export function createWav2vec(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding(
    'wav2vec',
    sampleShape,
    resolveOptions('wav2vec', WAV2VEC_SCHEMA, WAV2VEC_DEFAULTS, options),
    rng,
  );
}
