import { ConfigError, type EncoderConfig, type Rng } from '@autodidact/core';
import { AudioEncoder, type AudioEncoderConfig } from './audio-encoder.js';

/** Rebuilds an audio encoder from a saved config (weights are copied in afterwards by name). */
export function createEncoder(config: EncoderConfig, rng: Rng, prefix = 'encoder/'): AudioEncoder {
  if (config.modality !== 'audio') {
    throw new ConfigError(`encoder config of modality '${config.modality}' given to the audio package`, {
      field: 'modality',
    });
  }
  if (config.kind !== 'wav2vec-conv') {
    throw new ConfigError(`unknown audio encoder '${config.kind}'; known: wav2vec-conv`, { field: 'kind' });
  }
  return new AudioEncoder(config as AudioEncoderConfig, rng, prefix);
}
