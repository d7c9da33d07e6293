/**
 * The second modality of the pairs being pretrained on, from the load to the method: a method is
 * built from the shape of one sample (the image), but CLIP's second tower needs more than that
 * (the sound's spectrogram shape, or the vocabulary of the folder's texts). The modality's
 * unlabelled load (the training data) records it here and `clip`'s definition reads it, as
 * @autodidact/text hands a corpus' tokenizer to its methods.
 */
import { ConfigError } from '@autodidact/core';
import type { Partner } from './paired-folder.js';

let current: Partner | undefined;

/** Records the partner of the training pairs just loaded. */
export function rememberPartner(partner: Partner): void {
  current = partner;
}

/**
 * The partner of the training pairs last loaded.
 * @throws ConfigError when no paired folder has been loaded for training.
 */
export function loadedPartner(): Partner {
  if (!current) {
    throw new ConfigError('clip builds its second tower from the pairs: load a paired folder first', {
      field: '--data',
    });
  }
  return current;
}
