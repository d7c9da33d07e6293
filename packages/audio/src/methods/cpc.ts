/**
 * Contrastive Predictive Coding on audio (van den Oord, Li & Vinyals 2018, "Representation
 * Learning with Contrastive Predictive Coding", sec. 2 and 3.1): strided conv encoder, GRU
 * context, a linear prediction W_k c_t per future step k = 1..K, InfoNCE against distractors
 * from the same clip. The paper's audio setup (512-d encoder, 256-d GRU, K = 12, 20480-sample
 * crops) is scaled down for CPU; the package's baseline for wav2vec and wav2vec 2.0.
 */
import type { Rng } from '@autodidact/core';
import { audioMethod } from './audio-method.js';
import { PredictiveCoding, predictiveCodingOptions } from './predictive-coding.js';

/** CPC's options: type, bounds, meaning and default of each (docs/methods/cpc-audio.md). */
export const CPC_OPTIONS = predictiveCodingOptions({ context: 'gru', contextLayers: 1, loss: 'infonce' });

/** `--method cpc`. */
export const CPC_METHOD = audioMethod({
  name: 'cpc',
  summary: 'CPC: GRU context predicts future latents vs distractors, InfoNCE (van den Oord et al. 2018)',
  options: CPC_OPTIONS,
  create: ({ sampleShape, options, rng }) => createCpc(sampleShape, options, rng),
});

/** A CPC method for clips of `sampleShape = [samples]`. */
export function createCpc(sampleShape: number[], options: Record<string, unknown>, rng: Rng): PredictiveCoding {
  return new PredictiveCoding('cpc', sampleShape, CPC_METHOD.resolve(options), rng);
}
