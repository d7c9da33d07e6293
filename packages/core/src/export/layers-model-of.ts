import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';
import { Net } from '../nn/net.js';

/**
 * A tf.layers model equivalent to an encoder built on a {@link Net} (vision conv-small, mlp,
 * resnet18; also one from another copy of core), with a copy of its current weights: what the
 * export formats are written from. The caller disposes it. Encoders that compute in code (the
 * text transformer, the audio and genomics encoders, a vision patch-grid) have no net to
 * write: a ConfigError names the encoder kind and says so.
 */
export function layersModelOf(encoder: Encoder<unknown>): tf.LayersModel {
  const net = (encoder as { net?: unknown }).net;
  if (net instanceof Net) return net.toLayersModel();
  // a NetEncoder from another copy of core: a net with the same method
  const other = net as { toLayersModel?: unknown } | undefined;
  if (other && typeof other.toLayersModel === 'function') return (other.toLayersModel as () => tf.LayersModel)();
  const kind = `${encoder.config.modality}/${encoder.config.kind}`;
  throw new ConfigError(
    `encoder '${kind}' (${encoder.constructor.name}) is not a network of standard layers: only net ` +
      'encoders (NetEncoder, e.g. vision conv-small, mlp and resnet18) can be exported; this one computes ' +
      'in code (with its own variables, or around a net encoder, as a vision patch-grid does) and has no ' +
      'single layer graph to write',
    { field: 'encoder' },
  );
}
