/**
 * wav2vec (Schneider, Baevski, Collobert & Auli 2019, "wav2vec: Unsupervised Pre-training for
 * Speech Recognition"): a five-layer strided conv encoder to latents z, a causal conv context
 * network to c, and for each step k = 1..K an affine h_k(c_t) trained to tell the true
 * z_{t+k} from distractors drawn from the same clip with the binary logistic loss of eq. 1
 * (`loss: 'infonce'` switches to the softmax form). Published: 512 channels, 9 context layers,
 * K = 12, 10 distractors; scaled down for CPU.
 */
import type { Rng } from '@autodidact/core';
import { audioMethod } from './audio-method.js';
import { PredictiveCoding, predictiveCodingOptions } from './predictive-coding.js';

/** wav2vec's options: type, bounds, meaning and default of each (docs/methods/wav2vec.md). */
export const WAV2VEC_OPTIONS = predictiveCodingOptions({ context: 'conv', contextLayers: 3, loss: 'binary' });

/** `--method wav2vec`. */
export const WAV2VEC_METHOD = audioMethod({
  name: 'wav2vec',
  summary: 'wav2vec: causal conv context predicts future latents vs distractors, binary loss (Schneider et al. 2019)',
  options: WAV2VEC_OPTIONS,
  create: ({ sampleShape, options, rng }) => createWav2vec(sampleShape, options, rng),
});

/** A wav2vec method for clips of `sampleShape = [samples]`. */
export function createWav2vec(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding('wav2vec', sampleShape, WAV2VEC_METHOD.resolve(options), rng);
}
