/**
 * wav2vec (Schneider, Baevski, Collobert & Auli 2019, "wav2vec: Unsupervised Pre-training for
 * Speech Recognition"): a five-layer strided conv encoder to latents z, a causal conv context
 * network to c, and for each step k = 1..K an affine h_k(c_t) trained to tell the true
 * z_{t+k} from distractors drawn from the same clip with the binary logistic loss of eq. 1
 * (`loss: 'infonce'` switches to the softmax form). Published: 512 channels, 9 context layers,
 * K = 12, 10 distractors; scaled down for CPU.
 */
import { type Rng, type OptionSchema, resolveOptions } from '@autodidact/core';
import { PredictiveCoding, type PredictiveCodingOptions } from './predictive-coding.js';

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

/** Type, bounds and meaning of each option of {@link WAV2VEC_DEFAULTS}. */
export const WAV2VEC_SCHEMA: OptionSchema<typeof WAV2VEC_DEFAULTS> = {
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

/** A wav2vec method for clips of `sampleShape = [samples]`. */
export function createWav2vec(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding(
    'wav2vec',
    sampleShape,
    resolveOptions('wav2vec', WAV2VEC_SCHEMA, WAV2VEC_DEFAULTS, options),
    rng,
  );
}
