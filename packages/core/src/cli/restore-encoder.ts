import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Encoder } from '../methods/encoder.js';
import { assignByName } from '../methods/assign-by-name.js';
import { loadSavedEncoder, type SavedEncoderMeta } from '../methods/saved-encoder.js';
import { Rng } from '../random/rng.js';
import * as tf from '@tensorflow/tfjs';
import { loadModality } from './load-modality.js';
import type { Modality } from './modality.js';

/**
 * Rebuilds the encoder saved in a `pretrain` output folder: its modality package, its
 * architecture from the saved config, and its weights by name (unless `randomInit`, which
 * keeps the architecture and a fresh seeded initialisation as the baseline). `loaderOptions`
 * are the data-loader settings the encoder was trained with (none for encoders saved before
 * they were recorded).
 */
export async function restoreEncoder(
  dir: string,
  options: { randomInit?: boolean; seed?: number } = {},
): Promise<{
  encoder: Encoder<unknown>;
  meta: SavedEncoderMeta;
  modality: Modality<unknown>;
  loaderOptions: Record<string, unknown> | undefined;
}> {
  const { meta, tensors } = await loadSavedEncoder(dir);
  const modality = await loadModality(meta.modality);
  const encoder = modality.createEncoder(meta.encoderConfig, new Rng(options.seed ?? 0));
  try {
    if (!options.randomInit) assignByName(encoder.allVariables(), tensors, dir);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { encoder, meta, modality, loaderOptions: savedLoaderOptions(meta) };
}

/** The loader options saved in an encoder's metadata, when it has them. */
export function savedLoaderOptions(meta: SavedEncoderMeta): Record<string, unknown> | undefined {
  const o = meta.loaderOptions;
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
}

/**
 * The modality named in a saved encoder's `encoder.json` (given its folder or the file itself),
 * without loading any weights; undefined when there is no readable one. The CLI uses it to add
 * that modality's data flags to `embed` and `probe` before parsing their arguments.
 */
export function peekSavedModality(path: string): string | undefined {
  try {
    const file = statSync(path).isDirectory() ? join(path, 'encoder.json') : path;
    const meta = JSON.parse(readFileSync(file, 'utf8')) as { modality?: unknown };
    return typeof meta.modality === 'string' ? meta.modality : undefined;
  } catch {
    return undefined;
  }
}
