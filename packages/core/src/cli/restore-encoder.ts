import type { Encoder } from '../methods/encoder.js';
import { assignByName, loadSavedEncoder, type SavedEncoderMeta } from '../methods/saved-encoder.js';
import { Rng } from '../random/rng.js';
import * as tf from '@tensorflow/tfjs';
import { loadModality } from './load-modality.js';
import type { Modality } from './modality.js';

/**
 * Rebuilds the encoder saved in a `pretrain` output folder: its modality package, its
 * architecture from the saved config, and its weights by name (unless `randomInit`, which
 * keeps the architecture and a fresh seeded initialisation as the baseline).
 */
export async function restoreEncoder(
  dir: string,
  options: { randomInit?: boolean; seed?: number } = {},
): Promise<{ encoder: Encoder<unknown>; meta: SavedEncoderMeta; modality: Modality<unknown> }> {
  const { meta, tensors } = await loadSavedEncoder(dir);
  const modality = await loadModality(meta.modality);
  const encoder = modality.createEncoder(meta.encoderConfig, new Rng(options.seed ?? 0));
  try {
    if (!options.randomInit) assignByName(encoder.allVariables(), tensors, dir);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { encoder, meta, modality };
}
