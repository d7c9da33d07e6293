import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';
import { LayersModule } from '../methods/layers-module.js';

/** Structural check for a tf.layers model (also one built by another copy of tfjs). */
function isLayersModel(x: unknown): x is tf.LayersModel {
  const m = x as Partial<tf.LayersModel> | null;
  return m != null && typeof m.save === 'function' && typeof m.toJSON === 'function' && Array.isArray(m.layers);
}

/**
 * The tf.layers model behind an encoder (a `LayersEncoder`, also one from another copy of core),
 * for export. Encoders built from functional variables (the text transformer, the audio and
 * genomics encoders) have no layers topology to serialise: a ConfigError names the encoder kind
 * and says so.
 */
export function layersModelOf(encoder: Encoder<unknown>): tf.LayersModel {
  if (encoder instanceof LayersModule) return encoder.model;
  // a LayersEncoder from another copy of core: a layers `model` and a variable-name `prefix`
  const other = encoder as { model?: unknown; prefix?: unknown };
  if (typeof other.prefix === 'string' && isLayersModel(other.model)) return other.model;
  const kind = `${encoder.config.modality}/${encoder.config.kind}`;
  throw new ConfigError(
    `encoder '${kind}' (${encoder.constructor.name}) is not a tf.layers model: only layers encoders ` +
      '(LayersEncoder, e.g. vision conv-small and mlp) can be exported; this one computes in code (with ' +
      'its own variables, or around a layers encoder, as a vision patch-grid does) and has no single ' +
      'layers topology to write',
    { field: 'encoder' },
  );
}
